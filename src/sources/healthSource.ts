import { eventSource } from './EventSource';
import { fromHealth } from './fromHealth';
import { HealthEvent } from './HealthEvent';

export const healthSource = eventSource({
  name: 'AWS Health',
  schema: HealthEvent,
  adapt: fromHealth,
  recognizes: (event) => event.source === 'aws.health' && event['detail-type'] === 'AWS Health Event',
});
