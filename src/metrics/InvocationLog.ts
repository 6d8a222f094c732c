import type { ActivityReport } from '../report/activity/ActivityReport';
import type { Enricher } from '../report/activity/Enricher';
import type { Notifier } from '../report/notify/Alert';

/**
 * What an invocation did outside the responses it returns: the alerts it tried to publish (the breaker-open and
 * failure alerts belong to no response) and the CloudTrail lookups it made (their result is not part of a response).
 */
export type Observation = { kind: 'alert'; alertType: string; published: boolean } | { kind: 'lookup'; status: ActivityReport['status'] };

/**
 * Filled by the notifier and the enricher, emptied by the metrics middleware at the end of each invocation (Lambda
 * runs one invocation at a time in a container).
 */
export interface InvocationLog {
  add(observation: Observation): void;
  /** The observations so far; the log is empty afterwards. */
  take(): Observation[];
}

export function createInvocationLog(): InvocationLog {
  let observations: Observation[] = [];
  return {
    add(observation) {
      observations.push(observation);
    },
    take() {
      const taken = observations;
      observations = [];
      return taken;
    },
  };
}

/** Behaves exactly as `inner`, and notes each publication and whether SNS accepted it. */
export function loggingNotifier(inner: Notifier, log: InvocationLog): Notifier {
  return {
    destination: inner.destination,
    async publish(alert) {
      try {
        await inner.publish(alert);
        log.add({ kind: 'alert', alertType: alert.document.alertType, published: true });
      } catch (error) {
        log.add({ kind: 'alert', alertType: alert.document.alertType, published: false });
        throw error;
      }
    },
  };
}

/** Behaves exactly as `inner`, and notes the status of each lookup (a thrown error as `failed`). */
export function loggingEnricher(inner: Enricher, log: InvocationLog): Enricher {
  return {
    async activityOf(incident) {
      try {
        const report = await inner.activityOf(incident);
        log.add({ kind: 'lookup', status: report.status });
        return report;
      } catch (error) {
        log.add({ kind: 'lookup', status: 'failed' });
        throw error;
      }
    },
  };
}
