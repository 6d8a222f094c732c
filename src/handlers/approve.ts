import { productionDeps } from '../aws/productionDeps';
import { securityHubApprovalSource } from '../sources/securityHubSource';
import { makeHandler } from './makeHandler';

/** Lambda entry point for Security Hub's "Keystop: contain" custom action (rule: that ActionTarget's events only). */
export const handler = makeHandler(securityHubApprovalSource, productionDeps);
