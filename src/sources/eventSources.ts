import { cloudTrailSource } from './cloudTrailSource';
import type { EventSource } from './EventSource';
import { guardDutySource } from './guardDutySource';
import { healthSource } from './healthSource';
import { securityHubApprovalSource, securityHubSource } from './securityHubSource';

/**
 * What a deployment configures about its sources: the honey keys whose every use is a compromise, and the responders
 * whose IAM changes the tamper guard records without undoing.
 */
export interface SourceSettings {
  honeyKeys: readonly string[];
  responders?: readonly string[];
}

// Stryker disable next-line ArrayDeclaration: a honey key list holding a string that is no access key id matches no event, like the empty list (equivalent).
export const noSourceSettings: SourceSettings = { honeyKeys: [] };

/** Every source Keystop consumes, for routing raw events outside Lambda (CLI, sandbox). */
export function eventSources(settings: SourceSettings = noSourceSettings): EventSource[] {
  return [
    guardDutySource,
    securityHubSource,
    securityHubApprovalSource,
    healthSource,
    cloudTrailSource(settings.honeyKeys, settings.responders),
  ];
}

/** The source whose events look like this one (EventBridge source and detail-type), if Keystop consumes it. */
export function eventSourceFor(event: unknown, settings: SourceSettings = noSourceSettings): EventSource | undefined {
  const raw = (typeof event === 'object' && event !== null ? event : {}) as { source?: unknown; 'detail-type'?: unknown };
  return eventSources(settings).find((source) => source.recognizes(raw));
}
