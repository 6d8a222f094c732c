import type { ActionResult } from '../../src/actions/ContainmentAction';
import type { IncidentResponse } from '../../src/domain/IncidentResponse';
import { type EmittedMetric, emittedMetrics } from '../../src/metrics/readEmfLines';
import { responseMetricLines } from '../../src/metrics/recordResponseMetrics';
import { credentials, incidentAbout } from './incidents';
import { clockStart, isoAt } from './testClock';

const start = clockStart();
const at = (ms: number) => isoAt(start, ms);

function response(
  outcome: IncidentResponse['outcome'],
  reason: IncidentResponse['reason'],
  actions: ActionResult[] = [],
): IncidentResponse {
  return { outcome, reason, explanation: '', incident: incidentAbout(credentials['long-term-key']), policy: 'p', actions };
}

/**
 * What the code emits for one invocation of every kind it knows: a containment, a re-containment, a duplicate, a
 * failure, a breaker hold, an ignored event; every kind of alert and lookup result.
 */
export function everyEmittedMetric(stage = 'prod'): EmittedMetric[] {
  const deactivated: ActionResult = { type: 'deactivate-access-key', status: 'done', target: 'AKIA', reason: '', at: at(1500) };
  const responses: IncidentResponse[] = [
    response('contained', 'matched', [deactivated]),
    response('contained', 'key-re-enabled', [deactivated]),
    response('contained', 'escalated', [deactivated]),
    response('duplicate', 'duplicate-report'),
    response('failed', 'containment-failed', [{ type: 'revoke-sessions', status: 'failed', target: 'r', reason: 'AccessDenied' }]),
    response('notified', 'breaker-open'),
    { outcome: 'ignored', reason: 'not-a-credential-finding', explanation: '', incident: null, policy: undefined, actions: [] },
  ];
  const lines = responseMetricLines(responses, {
    source: 'guardduty',
    enteredAt: new Date(at(0)),
    stage,
    logger: console,
    observations: [
      { kind: 'alert', alertType: 'response', published: true },
      { kind: 'alert', alertType: 'breaker', published: true },
      { kind: 'alert', alertType: 'failure', published: false },
      { kind: 'lookup', status: 'complete' },
      { kind: 'lookup', status: 'unavailable' },
      { kind: 'lookup', status: 'failed' },
      { kind: 'lookup', status: 'not-applicable' },
    ],
  });
  return emittedMetrics(lines);
}
