import { productionDeps } from '../aws/productionDeps';
import { healthSource } from '../sources/healthSource';
import { makeHandler } from './makeHandler';

/** Lambda entry point for AWS Health RISK events about leaked credentials (rule: aws.health, service RISK). */
export const handler = makeHandler(healthSource, productionDeps);
