import { type AdaptedEvent, ignored, incidents } from '../domain/AdaptedEvent';
import { CloudTrailApiCallEvent } from './CloudTrailApiCallEvent';
import { eventSource } from './EventSource';
import { fromCloudTrail } from './fromCloudTrail';
import { fromOffensiveUserAgent } from './fromOffensiveUserAgent';
import { fromTamper } from './fromTamper';
import { madeBy } from './madeBy';

/**
 * CloudTrail API calls, judged against the deployment's honey keys (configuration, not code), and IAM changes the
 * tamper guard watches, judged against its responders (whose changes are sanctioned). A compromise signal comes first.
 * `offensiveUserAgents` (the CloudTrail function's, not the guard's): a call by an offensive tool is a signal too,
 * after the stronger ones. The guard never takes it: a re-enabled key must be put back whatever tool re-enabled it.
 */
export function cloudTrailSource(
  honeyKeys: readonly string[],
  responders: readonly string[] = [],
  {
    offensiveUserAgents = false,
    guardOnly = false,
  }: {
    offensiveUserAgents?: boolean;
    /** The guard's function: it only guards and remembers, never reports an incident (its role cannot contain). */
    guardOnly?: boolean;
  } = {},
) {
  return eventSource({
    name: 'CloudTrail',
    schema: CloudTrailApiCallEvent,
    adapt: (event) => {
      const adapted = fromCloudTrail(event, guardOnly ? [] : honeyKeys);
      if (adapted.kind !== 'ignored' && !guardOnly) return adapted;
      const signal = offensiveUserAgents && !guardOnly ? fromOffensiveUserAgent(event) : undefined;
      if (signal) return incidents([signal]);
      const tamper = fromTamper(event, responders);
      const made = madeBy(event);
      if (tamper === undefined && made === undefined) return adapted.kind === 'ignored' ? adapted : ignoredByGuard;
      return { kind: 'tamper', reports: tamper ? [tamper] : [], ...(made ? { made } : {}) };
    },
    recognizes: (event) => event['detail-type'] === 'AWS API Call via CloudTrail',
  });
}

const ignoredByGuard: AdaptedEvent = ignored(
  'not-a-compromise-signal',
  'the tamper guard reports no incident: the CloudTrail function does',
);
