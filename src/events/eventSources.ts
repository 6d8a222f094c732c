import type { EventSource } from './EventSource';
import { guardDutySource } from './guardDutySource';
import { healthSource } from './healthSource';

/** Every source Keystop consumes, for routing raw events outside Lambda (CLI, sandbox). */
export const eventSources: EventSource[] = [guardDutySource, healthSource];
