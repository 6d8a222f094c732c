import type { IncidentResponse } from '../IncidentResponse';

/** What Keystop remembers about one credential within the de-duplication window. */
export interface CredentialRecord {
  key: string;
  incidentId: string;
  /** `in-progress` while an invocation holds the claim; `responded` once containment (or its absence) is recorded. */
  state: 'in-progress' | 'responded';
  /** The response, once recorded: a retry after a failed alert re-sends it without containing again. */
  response?: IncidentResponse;
  alertSent: boolean;
  /**
   * The alert must be sent by whoever sees this record: it failed, or the invocation that was sending it is gone
   * (its lease ran out). While another invocation is still sending it, this is false: one alert, not two.
   */
  resendAlert: boolean;
}

export type Claim = { kind: 'fresh' } | { kind: 'repeat'; record: CredentialRecord };

export interface BreakerAdmission {
  admitted: boolean;
  /** This event is the one that opened the breaker: the "breaker open" alert goes out once, with it. */
  justOpened: boolean;
  /** Automatic containments in the window, this one included when admitted. */
  count: number;
}

export interface BreakerStatus {
  accountId: string;
  count: number;
  open: boolean;
  openedAt?: string;
}

/**
 * De-duplication and the blast-radius breaker, kept in DynamoDB so that every concurrent invocation sees them.
 * Every write is a conditional write: two invocations racing on the same credential cannot both win the claim.
 */
export interface StateStore {
  /** Claims the credential for this incident, unless a record within the window (or a live claim) exists. */
  claim(key: string, incidentId: string, now: Date): Promise<Claim>;
  /** Records the response (outcome and actions), keeping the claim for the rest of the window. */
  recordResponse(key: string, response: IncidentResponse, now: Date): Promise<void>;
  markAlertSent(key: string): Promise<void>;
  /** The alert could not be published: the retry (or any later report) sends it. */
  markAlertFailed(key: string): Promise<void>;
  /** Drops the claim after a failed containment, so the retry starts over. */
  release(key: string): Promise<void>;
  /** Counts one automatic containment in the account's rolling window, unless the breaker is open. */
  admit(accountId: string, now: Date): Promise<BreakerAdmission>;
  breakerStatus(accountId: string, now: Date): Promise<BreakerStatus>;
  resetBreaker(accountId: string): Promise<void>;
}
