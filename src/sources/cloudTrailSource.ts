import { incidents } from '../domain/AdaptedEvent';
import { CloudTrailApiCallEvent } from './CloudTrailApiCallEvent';
import { eventSource } from './EventSource';
import { fromCloudTrail } from './fromCloudTrail';
import { fromOffensiveUserAgent } from './fromOffensiveUserAgent';
import { fromTamper } from './fromTamper';

/**
 * CloudTrail API calls, judged against the deployment's honey keys (configuration, not code), and IAM changes the
 * tamper guard watches, judged against its responders (whose changes are sanctioned). A compromise signal comes first.
 * `offensiveUserAgents` (the CloudTrail function's, not the guard's): a call by an offensive tool is a signal too,
 * after the stronger ones. The guard never takes it: a re-enabled key must be put back whatever tool re-enabled it.
 */
export function cloudTrailSource(
  honeyKeys: readonly string[],
  responders: readonly string[] = [],
  { offensiveUserAgents = false }: { offensiveUserAgents?: boolean } = {},
) {
  return eventSource({
    name: 'CloudTrail',
    schema: CloudTrailApiCallEvent,
    adapt: (event) => {
      const adapted = fromCloudTrail(event, honeyKeys);
      if (adapted.kind !== 'ignored') return adapted;
      const signal = offensiveUserAgents ? fromOffensiveUserAgent(event) : undefined;
      if (signal) return incidents([signal]);
      const tamper = fromTamper(event, responders);
      return tamper ? { kind: 'tamper', reports: [tamper] } : adapted;
    },
    recognizes: (event) => event['detail-type'] === 'AWS API Call via CloudTrail',
  });
}
