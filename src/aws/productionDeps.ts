import { parseExemptTag } from '../decide/Guardrails';
import { unavailableEnricher } from '../report/activity/Enricher';
import type { Deps } from '../respond/Deps';
import { loadConfig, stateSettings } from './Config';
import type { ClientOptions } from './createClients';
import { createDeps } from './createDeps';

/**
 * Deps as an environment configures them: Lambda's at cold start, or the bench's (which also passes its own
 * transport, so that it measures exactly what the function runs).
 */
export function depsFromEnvironment(env: NodeJS.ProcessEnv, transport: Pick<ClientOptions, 'requestHandler'> = {}): Deps {
  const config = loadConfig(env);
  return createDeps({
    region: config.AWS_REGION,
    endpoint: config.AWS_ENDPOINT_URL,
    ...transport,
    topicArn: config.KEYSTOP_ALERT_TOPIC_ARN,
    accountId: config.KEYSTOP_ACCOUNT_ID,
    memberRole: config.KEYSTOP_MEMBER_ROLE_NAME
      ? { name: config.KEYSTOP_MEMBER_ROLE_NAME, externalId: config.KEYSTOP_EXTERNAL_ID }
      : undefined,
    guardrails: {
      dryRun: config.KEYSTOP_DRY_RUN,
      exemptPrincipals: config.KEYSTOP_EXEMPT_PRINCIPALS,
      exemptTag: parseExemptTag(config.KEYSTOP_EXEMPT_TAG),
      accounts: { own: config.KEYSTOP_ACCOUNT_ID, members: config.KEYSTOP_MEMBER_ACCOUNTS },
      ownRoles: {
        functionRoleNames: config.KEYSTOP_OWN_ROLE_NAMES,
        memberRoleName: config.KEYSTOP_MEMBER_ROLE_NAME || undefined,
      },
    },
    state: stateSettings(config),
    guardWindowMs: config.KEYSTOP_GUARD_WINDOW_DAYS * 24 * 3600_000,
    chatbot: config.KEYSTOP_CHATBOT_FORMAT,
    auditBus: config.KEYSTOP_AUDIT_BUS,
    activity: {
      windowHours: config.KEYSTOP_ACTIVITY_WINDOW_HOURS,
      regions: config.KEYSTOP_ACTIVITY_REGIONS,
      maxPagesPerRegion: config.KEYSTOP_ACTIVITY_MAX_PAGES,
      timeLimitMs: config.KEYSTOP_ACTIVITY_TIME_LIMIT_MS,
      inlineWaitMs: config.KEYSTOP_ACTIVITY_INLINE_WAIT_MS,
    },
    // CloudWatch reads metrics from the function's log stream (EMF): one JSON document per line on stdout.
    metrics: { stage: config.KEYSTOP_STAGE, write: (line) => process.stdout.write(`${line}\n`) },
    ...(config.KEYSTOP_ACTIVITY_LOOKUP
      ? {}
      : {
          enricher: unavailableEnricher('the CloudTrail lookup is switched off (KEYSTOP_ACTIVITY_LOOKUP=false)'),
          eventHistory: false as const,
        }),
  });
}

/** Built once per Lambda container, at cold start: config and policies are validated before the first event. */
export const productionDeps = depsFromEnvironment(process.env);
