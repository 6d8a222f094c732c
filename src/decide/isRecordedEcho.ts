import type { CredentialIncident } from '../domain/CredentialIncident';
import type { CredentialRecord } from './CredentialRecord';

/**
 * Pure: whether a Security Hub report is an echo of one Keystop already answered for this credential: the same
 * finding (incident id) as its provider last wrote it (observedAt unchanged), delivered as another event. Every
 * BatchUpdateFindings — Keystop's own note, or anyone's — re-fires "Findings - Imported" without changing what the
 * provider wrote, so such a delivery brings no new evidence. Recognised by the credential's record, which no caller of
 * Security Hub can write, instead of by Note.UpdatedBy, which every caller can. A redelivery of the same event (Lambda's
 * retry) is not an echo: it retries what failed.
 */
export function isRecordedEcho(
  record: Pick<CredentialRecord, 'last'> | undefined,
  report: Pick<CredentialIncident, 'id' | 'source' | 'observedAt' | 'origin'> | undefined,
): boolean {
  const answered = record?.last?.incident;
  if (answered === undefined || report === undefined) return false;
  return (
    report.source === 'security-hub' &&
    answered.source === 'security-hub' &&
    answered.id === report.id &&
    answered.observedAt === report.observedAt &&
    answered.origin.eventId !== report.origin.eventId
  );
}
