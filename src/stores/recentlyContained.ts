/**
 * Credentials this container answered as contained lately: a report about one of them is most likely a duplicate, so
 * its claim is sent alone first and answered from the record (one request, nothing from IAM). It only orders requests:
 * whatever it remembers, the record decides. A memory that is wrong costs one round trip more, never a decision.
 */
export interface RecentlyContained {
  /** Whether this container answered the credential as contained, and that is still recent. */
  recalls(key: string, now: Date): boolean;
  remember(key: string, until: Date): void;
}

/** Long enough for redeliveries and for the copies of one finding from several sources; a guard window is longer. */
export const REMEMBERED_FOR_MS = 3_600_000;
const CAPACITY = 10_000;

/** A bounded memory (oldest out first) of one container; each Lambda container has its own. */
export function recentlyContained(capacity = CAPACITY): RecentlyContained {
  const until = new Map<string, number>();
  return {
    recalls(key, now) {
      const expiry = until.get(key);
      if (expiry === undefined) return false;
      if (expiry > now.getTime()) return true;
      until.delete(key);
      return false;
    },
    remember(key, at) {
      until.delete(key);
      until.set(key, at.getTime());
      if (until.size > capacity) until.delete(until.keys().next().value!);
    },
  };
}
