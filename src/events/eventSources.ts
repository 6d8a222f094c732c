import type { EventSource } from './EventSource';
import { guardDutySource } from './guardDutySource';
import { healthSource } from './healthSource';
import { securityHubSource } from './securityHubSource';

/** Every source Keystop consumes, for routing raw events outside Lambda (CLI, sandbox). */
export const eventSources: EventSource[] = [guardDutySource, securityHubSource, healthSource];

/** The source whose events look like this one (EventBridge source and detail-type), if Keystop consumes it. */
export function eventSourceFor(event: unknown): EventSource | undefined {
  const raw = (typeof event === 'object' && event !== null ? event : {}) as { source?: unknown; 'detail-type'?: unknown };
  return eventSources.find((source) => source.recognizes(raw));
}
