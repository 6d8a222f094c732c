import { eventSource } from './EventSource';
import { fromSecurityHub } from './fromSecurityHub';
import { fromSecurityHubAction } from './fromSecurityHubAction';
import { SecurityHubCustomActionEvent, SecurityHubFindingsEvent } from './SecurityHubFindingsEvent';

export const securityHubSource = eventSource({
  name: 'Security Hub',
  schema: SecurityHubFindingsEvent,
  adapt: fromSecurityHub,
  recognizes: (event) => event.source === 'aws.securityhub' && event['detail-type'] === 'Security Hub Findings - Imported',
});

/** The "Keystop: contain" custom action: the selected findings' credentials, approved by the responder who chose it. */
export const securityHubApprovalSource = eventSource({
  name: 'Security Hub custom action',
  schema: SecurityHubCustomActionEvent,
  adapt: fromSecurityHubAction,
  recognizes: (event) => event.source === 'aws.securityhub' && event['detail-type'] === 'Security Hub Findings - Custom Action',
});
