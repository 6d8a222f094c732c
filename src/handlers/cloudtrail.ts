import { loadConfig } from '../aws/Config';
import { productionDeps } from '../aws/productionDeps';
import { cloudTrailSource } from '../sources/cloudTrailSource';
import { makeHandler } from './makeHandler';

/**
 * Lambda entry point for CloudTrail API calls: AWS attaching its quarantine policy to a user, any call made with a
 * honey key (rules: aws.iam AttachUserPolicy of AWSCompromisedKeyQuarantine*, userIdentity.accessKeyId in the list),
 * and any call made with an access key by an offensive tool's user agent (OffensiveUserAgentRule).
 */
export const handler = makeHandler(cloudTrailSource(loadConfig().KEYSTOP_HONEY_KEYS, [], { offensiveUserAgents: true }), productionDeps);
