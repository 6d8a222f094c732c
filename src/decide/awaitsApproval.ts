import type { CredentialRecord } from './CredentialRecord';

/** Reasons where a person deciding is the missing step: Keystop's alert asks for approval (ACTION NEEDED). */
export const APPROVABLE_REASONS: ReadonlySet<string> = new Set(['notify-only-policy', 'no-matching-policy']);

/**
 * Pure: whether Keystop asked anyone to approve containing this incident — the credential's record holds it as its
 * latest response, only alerted on for a reason a person's approval settles. An approval of anything else (a finding
 * Keystop never alerted on, one held for another reason, another incident of the credential) is not authorisation:
 * `securityhub:SendFindingEvents` is all the custom action needs.
 */
export function awaitsApproval(record: Pick<CredentialRecord, 'last'> | undefined, incidentId: string | undefined): boolean {
  const last = record?.last;
  return (
    last !== undefined &&
    incidentId !== undefined &&
    last.incident.id === incidentId &&
    last.outcome === 'notified' &&
    APPROVABLE_REASONS.has(last.reason) &&
    !last.incident.sample
  );
}
