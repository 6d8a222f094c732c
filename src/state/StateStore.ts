import type { CredentialRecord } from './CredentialRecord';

/**
 * The outcome of claiming a credential: it is ours until we save or release it (with the record as it stood, if any),
 * or another invocation is responding to it right now.
 */
export type Claim =
  | {
      kind: 'claimed';
      token: string;
      record: CredentialRecord | undefined;
      /** The record even past the de-duplication window while the tamper guard still watches it. */
      guarded?: CredentialRecord;
    }
  | { kind: 'busy'; incidentId: string };

/**
 * The per-credential records, kept in DynamoDB so every concurrent invocation sees them. Every write is conditional:
 * one invocation at a time holds a credential (an attempt with a lease longer than the function's time-out), and a
 * write by an invocation whose attempt was taken over is refused.
 */
export interface CredentialStore {
  /** Takes the credential for an attempt, unless another attempt's lease is still running. */
  claim(key: string, incidentId: string, now: Date): Promise<Claim>;
  /** Writes the record; `release` also ends the attempt (otherwise it is kept, e.g. while the alert goes out). */
  save(key: string, token: string, record: CredentialRecord, now: Date, options: { release: boolean }): Promise<void>;
  /** Ends the attempt without changing the record (a transient failure: the retry starts over). */
  release(key: string, token: string): Promise<void>;
  /** Records of credentials whose containment the breaker holds in this account. */
  held(accountId: string, now: Date): Promise<CredentialRecord[]>;
  /** Every record still inside the window, newest first (what Keystop did). */
  records(now: Date): Promise<CredentialRecord[]>;
  /** Records of credentials of this principal (`user/NAME`, `role/NAME`) the tamper guard still watches, newest first. */
  guarded(accountId: string, principal: string, now: Date): Promise<CredentialRecord[]>;
  /** Every record inside either window (de-duplication or guard), newest first: what `keystop release` searches. */
  watched(now: Date): Promise<CredentialRecord[]>;
}

export interface BreakerAdmission {
  admitted: boolean;
  /** This admission took a new slot (the principal was not counted yet): only such a slot is ever given back. */
  added: boolean;
  /** This containment is the one the breaker refused first: the "breaker open" alert goes out once, with it. */
  justOpened: boolean;
  /** Distinct principals contained in the window, this one included when admitted. */
  count: number;
}

export interface BreakerStatus {
  accountId: string;
  count: number;
  open: boolean;
  openedAt?: string;
  /** The principals counted in the window. */
  principals: string[];
}

/**
 * The blast-radius breaker: at most N distinct principals contained automatically per account per rolling window.
 * All sessions of one role are one principal; an attempt that failed gives its slot back.
 */
export interface Breaker {
  admit(accountId: string, principal: string, now: Date): Promise<BreakerAdmission>;
  /** Takes back the slot of a containment that did not happen. */
  giveBack(accountId: string, principal: string, now: Date): Promise<void>;
  breakerStatus(accountId: string, now: Date): Promise<BreakerStatus>;
  resetBreaker(accountId: string): Promise<void>;
}

export interface StateStore extends CredentialStore, Breaker {}
