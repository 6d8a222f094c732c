import { CloudTrailApiCallEvent } from './CloudTrailApiCallEvent';
import { eventSource } from './EventSource';
import { fromCloudTrail } from './fromCloudTrail';
import { fromTamper } from './fromTamper';

/**
 * CloudTrail API calls, judged against the deployment's honey keys (configuration, not code), and IAM changes the
 * tamper guard watches, judged against its responders (whose changes are sanctioned). A compromise signal comes first.
 */
export function cloudTrailSource(honeyKeys: readonly string[], responders: readonly string[] = []) {
  return eventSource({
    name: 'CloudTrail',
    schema: CloudTrailApiCallEvent,
    adapt: (event) => {
      const adapted = fromCloudTrail(event, honeyKeys);
      if (adapted.kind !== 'ignored') return adapted;
      const tamper = fromTamper(event, responders);
      return tamper ? { kind: 'tamper', reports: [tamper] } : adapted;
    },
    recognizes: (event) => event['detail-type'] === 'AWS API Call via CloudTrail',
  });
}
