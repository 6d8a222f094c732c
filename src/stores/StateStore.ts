import type { CredentialRecord } from '../decide/CredentialRecord';

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
 * The outcome of the one round trip on the critical path of a first containment: the credential's claim and its
 * principal's admission by the breaker, sent together (two conditional updates of two items, in parallel).
 * - claim `claimed`: the credential had no record, or one not contained; read it (`read`) while acting.
 * - claim `settled`: not claimed: the record (contained, or of the previous format) decides (maybe a duplicate).
 * - claim `busy`: not claimed: another invocation holds the credential.
 * - admission `admitted`: counted (`added`: this request took the slot; only then is there one to give back);
 *   `refused`: the breaker did not admit the principal at once (full, or its window needs trimming): the exact path
 *   (`admit`) decides.
 */
export interface Gate {
  claim:
    | { kind: 'claimed'; token: string }
    | { kind: 'settled'; record: CredentialRecord | undefined; guarded?: CredentialRecord }
    | { kind: 'busy'; incidentId: string };
  admission?: GateAdmission;
}

/** The gate's admission of a slot (one conditional update): see Gate. */
export type GateAdmission = { kind: 'admitted'; added: boolean; stamp: string } | { kind: 'refused' };

/**
 * The per-credential records, kept in DynamoDB so every concurrent invocation sees them. Every write is conditional:
 * one invocation at a time holds a credential (an attempt with a lease longer than the function's time-out), and a
 * write by an invocation whose attempt was taken over is refused.
 */
export interface CredentialStore {
  /** Takes the credential for an attempt, unless another attempt's lease is still running. */
  claim(key: string, incidentId: string, now: Date): Promise<Claim>;
  /** The record as it stands (a credential claimed by `gate` is read this way while the containment runs). */
  read(key: string, now: Date): Promise<{ record?: CredentialRecord; guarded?: CredentialRecord }>;
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
  /** The stamp this admission left on the principal (when it added it): what `giveBack` takes. */
  stamp?: string;
  /** This containment is the one the breaker refused first: the "breaker open" alert goes out once, with it. */
  justOpened: boolean;
  /** Distinct principals contained in the window, this one included when admitted. */
  count: number;
}

interface BreakerStatus {
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
  /**
   * Takes back the slot of a containment that did not happen: only while the principal still carries the stamp of
   * that attempt's admission (another attempt that admitted the same principal since counts on the slot).
   */
  giveBack(accountId: string, principal: string, stamp: string): Promise<void>;
  breakerStatus(accountId: string, now: Date): Promise<BreakerStatus>;
  resetBreaker(accountId: string): Promise<void>;
}

export interface StateStore extends CredentialStore, Breaker {
  /**
   * Claims the credential and, when `admission` is given, admits its principal against the breaker, in one round trip
   * (see Gate). A failed admission is `refused`; a failed claim throws.
   */
  gate(key: string, incidentId: string, slot: BreakerSlot | undefined, now: Date): Promise<Gate>;
  /**
   * The gate's admission alone (one conditional update), for a report whose claim was sent first because it is most
   * likely a duplicate. Never throws: a table that cannot be reached is `refused`, and the exact path decides.
   */
  admitAtOnce(slot: BreakerSlot, now: Date): Promise<GateAdmission>;
}

/**
 * The one breaker-slot type: the principal a containment counts against its account's breaker, and, once an admission
 * took the slot, the stamp that admission left (what giving the slot back takes: `giveBack` removes only that stamp).
 */
export interface BreakerSlot {
  accountId: string;
  principal: string;
  stamp?: string;
}

/** A slot an attempt took (its admission added the principal): the only kind ever given back. */
export type TakenSlot = Required<BreakerSlot>;
