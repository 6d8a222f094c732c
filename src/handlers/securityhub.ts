import { productionDeps } from '../aws/productionDeps';
import { securityHubSource } from '../sources/securityHubSource';
import { makeHandler } from './makeHandler';

/** Lambda entry point for GuardDuty's credential findings as Security Hub imports them (rule: new AwsIamAccessKey findings). */
export const handler = makeHandler(securityHubSource, productionDeps);
