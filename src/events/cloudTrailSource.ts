import { CloudTrailApiCallEvent } from './CloudTrailApiCallEvent';
import { eventSource } from './EventSource';
import { fromCloudTrail } from './fromCloudTrail';

/** CloudTrail API calls, judged against the deployment's honey keys (configuration, not code). */
export function cloudTrailSource(honeyKeys: readonly string[]) {
  return eventSource({
    name: 'CloudTrail',
    schema: CloudTrailApiCallEvent,
    adapt: (event) => fromCloudTrail(event, honeyKeys),
    recognizes: (event) => event['detail-type'] === 'AWS API Call via CloudTrail',
  });
}
