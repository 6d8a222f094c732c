/** GuardDuty sends a finding's first notification within 5 minutes of creating it, with that time's occurrences. */
const FIRST_NOTIFICATION_MS = 5 * 60_000;

/**
 * Whether a GuardDuty finding (or Security Hub's copy of it) is a later notification of a finding delivered before:
 * occurrences after the first notification's 5 minutes are sent later (every 15 minutes to 6 hours, the detector's
 * publishing frequency), with the count raised and the update time moved on. A count above 1 alone is not enough: the
 * first notification already counts what happened in its first 5 minutes.
 */
export function isLaterNotification(count: number | undefined, createdAt: string | undefined, updatedAt: string | undefined): boolean {
  if (count === undefined || !(count > 1) || createdAt === undefined || updatedAt === undefined) return false;
  return Date.parse(updatedAt) - Date.parse(createdAt) > FIRST_NOTIFICATION_MS;
}
