import type { Made } from './Creation';
import type { CredentialIncident } from './CredentialIncident';
import type { TamperReport } from './TamperReport';

/**
 * What an adapter makes of one event: the incidents it reports, or why it is not ours.
 * "Not ours" is a normal outcome (logged at info), not an error. `tamper`: a change that may undo a containment Keystop
 * made (the tamper guard decides against the state table whether it did).
 */
export type AdaptedEvent =
  | { kind: 'incidents'; incidents: CredentialIncident[] }
  /** `made`: what the calling key made with the call, remembered (the creation log) whether or not it tampered. */
  | { kind: 'tamper'; reports: TamperReport[]; made?: Made }
  | { kind: 'ignored'; reason: IgnoredReason; detail: string };

export const ignoredReasons = [
  'not-a-credential-finding',
  'not-a-guardduty-finding',
  'finding-not-new',
  'unknown-credential',
  'not-a-compromise-signal',
] as const;
export type IgnoredReason = (typeof ignoredReasons)[number];

export const incidents = (list: CredentialIncident[]): AdaptedEvent =>
  list.length > 0 ? { kind: 'incidents', incidents: list } : ignored('not-a-credential-finding', 'the event names no credential');

export const ignored = (reason: IgnoredReason, detail: string): AdaptedEvent => ({ kind: 'ignored', reason, detail });
