import * as z from '../zod';
import { listOf, setting, text, wholeNumber } from './Config';

/** An alarm's threshold (docs/operations.md): a whole number, the unit the alarm's metric counts in. */
const alarmThreshold = (param: string, fallback: string, max: number) => setting(wholeNumber(0, max), { param, default: fallback });

/**
 * Settings that only shape the stack at package time: no function reads them from its environment. A module of its
 * own, beside Config.ts (whose helpers and settings registry it shares), so that the functions' bundles, which never
 * read it, do not build it at every cold start.
 */
export const DeployParams = z.object({
  maxRetries: setting(wholeNumber(0, 2), {
    param: 'maxRetries',
    default: '2',
  }),
  policiesFile: setting(text(/\.json$/, 'must name a .json policy file'), {
    param: 'policiesFile',
    default: './src/decide/policies.json',
  }),
  // Exactly true or false: serverless.yml turns it into Lambda's tracing mode and the X-Ray policy's condition.
  tracing: setting(z.enum(['true', 'false'], { error: 'must be true or false' }), { param: 'tracing', default: 'false' }),
  // Exactly true or false: serverless.yml picks the functions' NODE_OPTIONS by it (custom.nodeOptions).
  debug: setting(z.enum(['true', 'false'], { error: 'must be true or false' }), { param: 'debug', default: 'false' }),
  // Exactly true or false, like tracing: serverless.yml's condition for the custom action, its rule and permission.
  securityHubAction: setting(z.enum(['true', 'false'], { error: 'must be true or false' }), {
    param: 'securityHubAction',
    default: 'false',
  }),
  // Exact role ARNs: the alert topic, failure queue and state table deny everyone else (serverless.yml). A wildcard
  // would let whoever creates a matching role in the account pass those denies.
  operatorRoles: setting(
    listOf(
      text(
        /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
        'each must be the exact ARN of a role (arn:aws:iam::<12-digit account>:role/<path/name>), no wildcard',
      ),
    ),
    { param: 'operatorRoles', default: '' },
  ),
  alarmFailedEventsDepth: alarmThreshold('alarmFailedEventsDepth', '0', 100_000),
  alarmFailedEventsAgeSeconds: alarmThreshold('alarmFailedEventsAgeSeconds', '3600', 1_209_600),
  alarmFunctionErrors: alarmThreshold('alarmFunctionErrors', '0', 100_000),
  alarmThrottles: alarmThreshold('alarmThrottles', '0', 100_000),
  alarmContainmentFailures: alarmThreshold('alarmContainmentFailures', '0', 100_000),
  alarmBreakerOpenings: alarmThreshold('alarmBreakerOpenings', '0', 100_000),
  alarmForensicsFailures: alarmThreshold('alarmForensicsFailures', '3', 100_000),
});
export type DeployParams = z.infer<typeof DeployParams>;
