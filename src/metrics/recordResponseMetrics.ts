import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { type ActionResult, reportingSteps } from '../actions/ContainmentAction';
import type { IncidentResponse } from '../domain/IncidentResponse';
import type { ActivityReport } from '../report/activity/ActivityReport';
import type { Observation } from './InvocationLog';

export const METRICS_NAMESPACE = 'Keystop';
/** Every metric also carries Powertools' `service` dimension and the stage, so stages in one account stay apart. */
const SERVICE_NAME = 'keystop';

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/**
 * Every metric Keystop emits, with its unit and the dimension sets it is published under (besides `service` and
 * `Stage`). Dimensions are low-cardinality by construction: source, outcome, reason, credential kind, action type,
 * alert type, lookup result — never a key id, a principal or an account. docs/operations.md explains each one.
 */
export const keystopMetrics = {
  /** Every response (one per incident, or one per event that carried none). */
  Responses: { unit: MetricUnit.Count, dimensions: [['Outcome'], ['Source', 'Outcome'], ['Outcome', 'Reason']] },
  /** Responses whose outcome is `contained`. */
  Containments: { unit: MetricUnit.Count, dimensions: [[], ['CredentialKind']] },
  /** Responses whose outcome is `failed` because a containment step failed (refused, or failed after retries). */
  ContainmentsFailed: { unit: MetricUnit.Count, dimensions: [[], ['Source']] },
  /** Containment steps that failed, by action type. */
  FailedSteps: { unit: MetricUnit.Count, dimensions: [['Action']] },
  /** A credential contained again: a stronger report (escalated) or its key found re-enabled. */
  ReContainments: { unit: MetricUnit.Count, dimensions: [[], ['Reason']] },
  /** An account's blast-radius breaker opened (its one alert was attempted). */
  BreakerOpened: { unit: MetricUnit.Count, dimensions: [[]] },
  /** Incidents only alerted on because the breaker was open. */
  BreakerHeld: { unit: MetricUnit.Count, dimensions: [[]] },
  AlertsPublished: { unit: MetricUnit.Count, dimensions: [[], ['AlertType']] },
  AlertsFailed: { unit: MetricUnit.Count, dimensions: [[], ['AlertType']] },
  /** CloudTrail lookups of what a key did: `ok` (complete or partial), `unavailable`, `failed`. */
  ForensicsLookups: { unit: MetricUnit.Count, dimensions: [['Result']] },
  /** From the handler's entry to the last containment write acknowledged by AWS. */
  TimeToContainFromEntry: { unit: MetricUnit.Milliseconds, dimensions: [[], ['Source']] },
  /** From the moment the report says the activity was seen to the last containment write acknowledged by AWS. */
  TimeToContainFromFirstSeen: { unit: MetricUnit.Milliseconds, dimensions: [[], ['Source']] },
} as const satisfies Record<string, { unit: Unit; dimensions: readonly (readonly string[])[] }>;

type MetricName = keyof typeof keystopMetrics;

export interface InvocationFacts {
  /** The source the event came from (its incidents name their own; this names events that carried none). */
  source: string;
  /** When the handler was entered. */
  enteredAt: Date;
  /** Alerts published and lookups made during the invocation. */
  observations: readonly Observation[];
  stage: string;
  /** Where the metrics library's own warnings go (invalid values and the like). */
  logger: Pick<Console, 'debug' | 'info' | 'warn' | 'error'>;
}

/** Reasons of a response that contained a credential Keystop had contained before. */
const reContainmentReasons = new Set(['escalated', 'key-re-enabled', 'session-after-cutoff']);
/** A response held back by the breaker (a repeat of a held credential, `still-held`, is not held again). */
const breakerHeldReasons = new Set(['breaker-open']);
const lookupResults: Partial<Record<ActivityReport['status'], string>> = {
  complete: 'ok',
  partial: 'ok',
  unavailable: 'unavailable',
  failed: 'failed',
};

/**
 * The CloudWatch EMF lines (one JSON document each) for what one invocation did, derived from its responses and
 * observations only: nothing in the response core knows about metrics. Each line carries one family of metrics
 * with its own dimension sets, and latencies are one value per line, so Logs Insights can read them as numbers.
 */
export function responseMetricLines(responses: readonly IncidentResponse[], facts: InvocationFacts): string[] {
  const metrics = new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: SERVICE_NAME,
    defaultDimensions: { Stage: facts.stage },
    logger: withoutSharedDimensionWarning(facts.logger),
  });
  const lines: string[] = [];
  const emit = (values: Record<string, string>, entries: Partial<Record<MetricName, number>>) => {
    const names = Object.keys(entries) as MetricName[];
    // Metrics on one line share its dimension sets: only metrics declared with the same sets are put together.
    const sets = keystopMetrics[names[0]!].dimensions;
    for (const set of sets) metrics.addDimensions(Object.fromEntries(set.map((name) => [name, values[name] ?? 'unknown'])));
    for (const name of names) metrics.addMetric(name, keystopMetrics[name].unit, entries[name]!);
    lines.push(JSON.stringify(metrics.serializeMetrics()));
    metrics.clearMetrics();
    metrics.clearDimensions();
  };

  for (const response of responses) {
    const source = response.incident?.source ?? facts.source;
    emit({ Source: source, Outcome: response.outcome, Reason: response.reason }, { Responses: 1 });
    if (response.outcome === 'contained') {
      emit({ CredentialKind: response.incident?.credential.kind ?? 'unknown' }, { Containments: 1 });
    }
    const failedSteps = response.actions.filter((a) => isContainmentStep(a) && a.status === 'failed');
    // Not every failed response is a failed containment: another invocation holding the credential is not one.
    if (response.outcome === 'failed' && failedSteps.length > 0) emit({ Source: source }, { ContainmentsFailed: 1 });
    for (const step of failedSteps) emit({ Action: step.type }, { FailedSteps: 1 });
    if (response.outcome === 'contained' && reContainmentReasons.has(response.reason)) {
      emit({ Reason: response.reason }, { ReContainments: 1 });
    }
    if (breakerHeldReasons.has(response.reason)) emit({}, { BreakerHeld: 1 });
    const acknowledgedAt = containmentAcknowledgedAt(response);
    if (acknowledgedAt !== undefined) {
      const firstSeen = Date.parse(response.incident?.observedAt ?? '');
      emit(
        { Source: source },
        {
          TimeToContainFromEntry: Math.max(0, acknowledgedAt - facts.enteredAt.getTime()),
          // A report without a usable time (adapters fall back to the epoch) says nothing about latency.
          ...(firstSeen > 0 ? { TimeToContainFromFirstSeen: Math.max(0, acknowledgedAt - firstSeen) } : {}),
        },
      );
    }
  }

  for (const observation of facts.observations) {
    if (observation.kind === 'alert') {
      emit({ AlertType: observation.alertType }, observation.published ? { AlertsPublished: 1 } : { AlertsFailed: 1 });
      if (observation.alertType === 'breaker') emit({}, { BreakerOpened: 1 });
    } else {
      const result = lookupResults[observation.status];
      // `not-applicable`: nothing to look up (no key id, a sample finding); it is not a lookup.
      if (result) emit({ Result: result }, { ForensicsLookups: 1 });
    }
  }
  return lines;
}

/**
 * EMF allows dimension sets that share a dimension (`[Outcome]`, `[Source, Outcome]`), which is how one value is
 * filed under several breakdowns; Powertools warns about it on every line. Other warnings pass through.
 */
function withoutSharedDimensionWarning(logger: InvocationFacts['logger']): InvocationFacts['logger'] {
  return {
    debug: (...args) => logger.debug(...args),
    info: (...args) => logger.info(...args),
    error: (...args) => logger.error(...args),
    warn: (...args) => {
      if (!/defined as both a dimension set and dimension set/.test(String(args[0]))) logger.warn(...args);
    },
  };
}

function isContainmentStep(action: ActionResult): boolean {
  return !(reportingSteps as readonly string[]).includes(action.type);
}

/**
 * When AWS acknowledged the last write that cut the credential off (epoch ms): a key deactivated, a session deny
 * written. Tagging the principal marks it and cuts nothing off, so it does not count.
 */
function containmentAcknowledgedAt(response: IncidentResponse): number | undefined {
  if (response.outcome !== 'contained') return undefined;
  const times = response.actions
    .filter((a) => isContainmentStep(a) && a.type !== 'tag-principal' && a.status === 'done' && a.at !== undefined)
    .map((a) => Date.parse(a.at!))
    .filter((t) => !Number.isNaN(t));
  return times.length > 0 ? Math.max(...times) : undefined;
}
