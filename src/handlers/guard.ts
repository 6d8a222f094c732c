import { loadConfig } from '../aws/Config';
import { productionDeps } from '../aws/productionDeps';
import { cloudTrailSource } from '../sources/cloudTrailSource';
import { makeHandler } from './makeHandler';

/**
 * Lambda entry point for the tamper guard: IAM calls that may undo a containment Keystop made (GuardRule: only
 * iam.amazonaws.com, only the calls in GUARDED_CALLS), and what a long-term key made (REMEMBERED_CALLS), noted in the
 * creation log. Changes by the deployment's responders are recorded, not undone.
 */
const config = loadConfig();
export const handler = makeHandler(cloudTrailSource([], config.KEYSTOP_RESPONDERS, { guardOnly: true }), productionDeps);
