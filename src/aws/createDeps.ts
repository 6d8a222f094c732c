import { Logger } from '@aws-lambda-powertools/logger';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { defaultPolicies } from '../decide/defaultPolicies';
import type { Guardrails } from '../decide/Guardrails';
import { type ResponsePolicy, ResponsePolicySet } from '../decide/ResponsePolicy';
import { partitionOf } from '../domain/partitionOf';
import { creationFinder } from '../facts/findCreations';
import { createInvocationLog, loggingEnricher, loggingNotifier } from '../metrics/InvocationLog';
import type { MetricsOutput } from '../metrics/MetricsOutput';
import { cloudTrailEnricher, type Enricher, ownAccountOnly } from '../report/activity/Enricher';
import { eventBridgeAuditor } from '../report/audit/eventBridgeAuditor';
import { type FindingUpdater, securityHubFindingUpdater } from '../report/audit/securityHubFindingUpdater';
import type { Notifier } from '../report/notify/Alert';
import { createReporter } from '../report/notify/createReporter';
import { snsNotifier } from '../report/notify/snsNotifier';
import type { Deps } from '../respond/Deps';
import { dynamoCreationLog } from '../stores/dynamoCreationLog';
import { dynamoStateStore, type StateSettings } from '../stores/dynamoStateStore';
import { recentlyContained } from '../stores/recentlyContained';
import { type ActivitySettings, defaultActivitySettings, settingDefault } from './Config';
import { clientsForAccounts, type MemberRole } from './clientsForAccounts';
import { type Clock, systemClock } from './clock';
import { type ClientOptions, type Clients, createClients } from './createClients';

export interface DepsSettings extends ClientOptions {
  topicArn: string;
  guardrails: Guardrails;
  /** The account the clients act in; incidents in other accounts are reached through the member role. */
  accountId: string;
  /** The role to assume in member accounts; undefined in a single-account deployment. */
  memberRole?: MemberRole;
  policies?: readonly ResponsePolicy[];
  logger?: Logger;
  /** Clients already built (tests record their calls); by default they are made from the client options. */
  clients?: Clients;
  /** The DynamoDB table for de-duplication and the breaker; without it nothing is de-duplicated or counted. */
  state?: StateSettings;
  /** https subscribers get AWS Chatbot's custom-notification format. */
  chatbot?: boolean;
  /** The EventBridge bus for audit events. */
  auditBus?: string;
  activity?: Partial<ActivitySettings>;
  /** Replaces the CloudTrail lookup (the sandbox's "unavailable", tests' recorded responses). */
  enricher?: Enricher;
  /** Replaces the Security Hub finding note (the sandbox's "unavailable"). */
  findingUpdater?: FindingUpdater;
  /**
   * Where alerts go instead of the SNS topic (the CLI without a topic prints them). Used by both the failure alert and
   * the reporter, so no alert can slip past it to SNS.
   */
  notifier?: Notifier;
  /** Metrics of each invocation: the stage they are tagged with and where their EMF lines go. None by default. */
  metrics?: Omit<MetricsOutput, 'log'>;
  /** How long the tamper guard watches a contained credential (default 7 days). */
  guardWindowMs?: number;
  /** The time and the pauses (the wall clock by default; tests hand in theirs). */
  clock?: Clock;
  /**
   * Where what a contained key made is read from besides the creation log: the event history of us-east-1 (where IAM's
   * calls are recorded) by default; `false` reads no history (the sandbox without records, a lookup switched off);
   * a client of its own elsewhere (the local CloudTrail of the tests and the sandbox).
   */
  eventHistory?: false | (() => CloudTrailClient | Promise<CloudTrailClient>);
}

/** The composition root: real SDK clients, the SNS notifier, the reporter, the validated policies. */
export function createDeps({
  topicArn,
  guardrails,
  accountId,
  memberRole,
  policies = defaultPolicies,
  logger: givenLogger,
  clients: given,
  state,
  chatbot = false,
  auditBus = 'default',
  activity: activityOverrides,
  enricher: givenEnricher,
  findingUpdater,
  notifier: givenNotifier,
  metrics: metricsSettings,
  guardWindowMs,
  clock = systemClock,
  eventHistory,
  ...clientOptions
}: DepsSettings): Deps {
  const clients = given ?? createClients(clientOptions);
  const logger = givenLogger ?? new Logger({ serviceName: 'keystop' });
  const { now, sleep } = clock;
  const activity = { ...defaultActivitySettings(), ...activityOverrides };
  // With metrics on, the alerts and lookups of each invocation are noted for them (src/metrics/InvocationLog.ts).
  const metrics = metricsSettings ? { ...metricsSettings, log: createInvocationLog() } : undefined;
  const sns = givenNotifier ?? snsNotifier(() => clients.sns, topicArn, { chatbot });
  const notifier = metrics ? loggingNotifier(sns, metrics.log) : sns;
  const lookup = givenEnricher ?? ownAccountOnly(accountId, cloudTrailEnricher(clients.cloudTrailIn, activity, now));
  const enricher = metrics ? loggingEnricher(lookup, metrics.log) : lookup;
  // Who made what is kept as long as the activity lookup looks back: a containment within that window follows it.
  const creationLog = state
    ? dynamoCreationLog(clients.dynamodb, { tableName: state.tableName, keepMs: activity.windowHours * 3_600_000 })
    : undefined;
  const creations = creationFinder({
    log: creationLog,
    cloudTrail: eventHistory === false ? undefined : (eventHistory ?? (() => clients.cloudTrailIn('us-east-1'))),
    ownAccountId: accountId,
    windowHours: activity.windowHours,
    maxPages: activity.maxPagesPerRegion,
    timeLimitMs: activity.timeLimitMs,
  });
  return {
    clientsFor: clientsForAccounts({
      ownAccountId: accountId,
      own: { iam: clients.iam },
      memberRole,
      sts: () => clients.sts,
      iamWith: (credentials) => createClients({ ...clientOptions, credentials }).iam,
      partition: partitionOf(clientOptions.region),
    }),
    notifier,
    reporter: createReporter({
      notifier,
      enricher,
      auditor: eventBridgeAuditor(clients.eventsClient, auditBus),
      findingUpdater: findingUpdater ?? securityHubFindingUpdater(clients.securityHubIn),
      inlineWaitMs: activity.inlineWaitMs,
      logger,
      now,
    }),
    // Parsed when deps are built (at cold start in Lambda): a policy set that does not validate stops the
    // function before it can act wrongly. The default set was parsed when its module loaded: not twice.
    policies: policies === defaultPolicies ? defaultPolicies : ResponsePolicySet.parse(policies),
    guardrails,
    logger,
    now,
    sleep,
    state: state ? dynamoStateStore(clients.dynamodb, state, sleep) : undefined,
    recent: recentlyContained(),
    creations,
    ...(creationLog ? { creationLog } : {}),
    ...(metrics ? { metrics } : {}),
    guardWindowMs: guardWindowMs ?? settingDefault('KEYSTOP_GUARD_WINDOW_DAYS') * 24 * 3600_000,
  };
}
