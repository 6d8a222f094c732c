import type { Logger } from '@aws-lambda-powertools/logger';
import type { ClientsFor } from '../aws/clientsForAccounts';
import type { Clock } from '../aws/clock';
import type { Guardrails } from '../decide/Guardrails';
import type { ResponsePolicy } from '../decide/ResponsePolicy';
import type { CreationFinder } from '../facts/findCreations';
import type { MetricsOutput } from '../metrics/MetricsOutput';
import type { Notifier } from '../report/notify/Alert';
import type { Reporter } from '../report/notify/createReporter';
import type { CreationLog } from '../stores/dynamoCreationLog';
import type { RecentlyContained } from '../stores/recentlyContained';
import type { StateStore } from '../stores/StateStore';

/** Every side effect and setting respond() uses, in one object. Only src/aws/createDeps.ts builds the real one. */
export interface Deps {
  /** The clients for the account that owns an incident's credential (its own, or a member account's role). */
  clientsFor: ClientsFor;
  /** For failures before any outcome is known (alertOnFailure). */
  notifier: Notifier;
  /** Everything after containment: alert, what the key did, Security Hub note, audit event. */
  reporter: Reporter;
  policies: readonly ResponsePolicy[];
  guardrails: Guardrails;
  logger: Logger;
  /** The one clock (src/aws/clock.ts): the time every decision reads, and the pause of the busy wait. */
  now: Clock['now'];
  sleep: Clock['sleep'];
  /**
   * De-duplication and the blast-radius breaker (DynamoDB). Undefined only where every call is a person's explicit
   * request (`keystop contain --access-key` without a table): then a report is answered on the exact path, nothing is
   * de-duplicated or counted, and the key's status is not read. A use-case that cannot work without the table takes
   * StatefulDeps instead: its type says so, no check at run time.
   */
  state: StateStore | undefined;
  /** What this container answered as contained lately: a report about it asks the record first (one request). */
  recent: RecentlyContained;
  /**
   * How long a report waits for another invocation that holds the same credential before failing to be retried
   * (default 10 s, a third of the function's time-out).
   */
  busyWaitMs?: number;
  /** CloudWatch metrics of each invocation (src/handlers/recordMetrics.ts); undefined where nobody reads them. */
  metrics?: MetricsOutput;
  /**
   * What a contained long-term key made in IAM (the creation log and CloudTrail's event history): contained with it.
   * Undefined: nothing is followed (`keystop contain` without a table, a deployment that switched it off).
   */
  creations?: CreationFinder;
  /** Who made what, noted by the tamper guard's source as IAM's events arrive (undefined without a state table). */
  creationLog?: CreationLog;
  /** How long the tamper guard watches a credential after Keystop contained it (default 7 days). */
  guardWindowMs: number;
}

/** The deps of a use-case that needs the state table (the tamper guard, release, approve, contain held). */
export type StatefulDeps = Deps & { state: StateStore };
