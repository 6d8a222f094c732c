import { productionDeps } from '../aws/productionDeps';
import { guardDutySource } from '../sources/guardDutySource';
import { makeHandler } from './makeHandler';

/** Lambda entry point for GuardDuty findings about credentials (rule: aws.guardduty, resourceType AccessKey). */
export const handler = makeHandler(guardDutySource, productionDeps);
