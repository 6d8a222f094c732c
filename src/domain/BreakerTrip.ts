/**
 * Which blast-radius limit refused a containment: the account's own, or the organisation's (every account together,
 * where Keystop reaches member accounts), with what it counted.
 */
export interface BreakerTrip {
  limit: 'account' | 'organisation';
  /** Distinct principals contained automatically within the window. */
  count: number;
  /** The organisation's limit: across how many accounts they are. */
  accounts?: number;
  /**
   * The account's limit when it is the account's share of the organisation's (this is the organisation's limit): one
   * account cannot fill the organisation's breaker, so the account is capped first.
   */
  shareOf?: number;
  /** The account's limit (with `shareOf`: its share). */
  of?: number;
}

/** How a plan held by the organisation's breaker begins its explanation: the alert's next step resets that breaker. */
export const ORGANISATION_HOLD = "the organisation's blast-radius breaker is open";
