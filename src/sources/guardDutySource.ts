import { eventSource } from './EventSource';
import { fromGuardDuty } from './fromGuardDuty';
import { GuardDutyFindingEvent } from './GuardDutyFindingEvent';

export const guardDutySource = eventSource({
  name: 'GuardDuty',
  schema: GuardDutyFindingEvent,
  adapt: fromGuardDuty,
  recognizes: (event) => event.source === 'aws.guardduty' && event['detail-type'] === 'GuardDuty Finding',
});
