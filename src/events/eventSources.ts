import type { EventSource } from './EventSource';
import { guardDutySource } from './guardDutySource';

/** Every source Keystop consumes, for routing raw events outside Lambda (CLI, sandbox). */
export const eventSources: EventSource[] = [guardDutySource];
