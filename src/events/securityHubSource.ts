import { eventSource } from './EventSource';
import { fromSecurityHub } from './fromSecurityHub';
import { SecurityHubFindingsEvent } from './SecurityHubFindingsEvent';

export const securityHubSource = eventSource({
  name: 'Security Hub',
  schema: SecurityHubFindingsEvent,
  adapt: fromSecurityHub,
  recognizes: (event) =>
    event.source === 'aws.securityhub' && event['detail-type'] === 'Security Hub Findings - Imported',
});
