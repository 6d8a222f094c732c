import type { CredentialRecord } from '../decide/CredentialRecord';
import type { TimelineEntry } from '../domain/TimelineEntry';
import type { EstablishedMemo } from './dynamoEstablishedMemo';

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

/**
 * The gate's admission of a slot (one conditional update per breaker, sent together): see Gate. `added` and `stamp`
 * are the account breaker's; `taken` is every slot this request added (the account's, the organisation's), which is
 * what goes back if the containment does not happen — also when one breaker admitted and the other refused.
 */
export type GateAdmission =
  | { kind: 'admitted'; added: boolean; stamp: string; taken: TakenSlot[] }
  | { kind: 'refused'; taken?: TakenSlot[] };

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
  /** Records of credentials whose containment a breaker holds in this account (undefined: in every account). */
  held(accountId: string | undefined, now: Date): Promise<CredentialRecord[]>;
  /** Every record still inside the window, newest first (what Keystop did). */
  records(now: Date): Promise<CredentialRecord[]>;
  /** Records of credentials of this principal (`user/NAME`, `role/NAME`) the tamper guard still watches, newest first. */
  guarded(accountId: string, principal: string, now: Date): Promise<CredentialRecord[]>;
  /**
   * Records the tamper guard still watches, in this account, whose follow changed the thing a guard ref names (`key/ID`,
   * `user/NAME`, `role/NAME`: src/decide/followedGuard.ts), newest first.
   */
  followedBy(accountId: string, ref: string, now: Date): Promise<CredentialRecord[]>;
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
  /** The breaker's limit (the account's, or the organisation's). */
  limit: number;
  /** The organisation's breaker: across how many accounts the principals it counts are. */
  accounts?: number;
  /** An account's breaker whose limit is its share of the organisation's (lower than breakerLimit): that limit. */
  shareOf?: number;
}

interface BreakerStatus {
  accountId: string;
  count: number;
  open: boolean;
  openedAt?: string;
  /** The principals counted in the window (the organisation's: `<account>/<principal>`). */
  principals: string[];
  limit: number;
  /** The organisation's breaker: across how many accounts. */
  accounts?: number;
  /** An account's breaker whose limit is its share of the organisation's (lower than breakerLimit): that limit. */
  shareOf?: number;
}

/**
 * The organisation's breaker, beside each account's: where Keystop reaches member accounts, every containment also
 * counts against this one item (its principals named `<account>/<principal>`), so that a false positive reaching
 * every account at once (a shared threat list, a detector model change) stops at one limit, not at one per account.
 * Its name stands where an account id stands in the Breaker's calls; it can never be a 12-digit account id.
 */
export const ORGANISATION = 'organisation';

/**
 * The blast-radius breaker: at most N distinct principals contained automatically per account per rolling window
 * (and, in an organisation deployment, M across all accounts: `ORGANISATION` as the account id).
 * All sessions of one role are one principal; an attempt that failed gives its slot back.
 */
export interface Breaker {
  /**
   * `open: false` (a first look): a refusal leaves the breaker as it was (it does not open it, so no alert is owed);
   * only a refusal that may open it (the default) can be `justOpened`.
   */
  admit(accountId: string, principal: string, now: Date, options?: { open?: boolean }): Promise<BreakerAdmission>;
  /**
   * Takes back the slot of a containment that did not happen: only while the principal still carries the stamp of
   * that attempt's admission (another attempt that admitted the same principal since counts on the slot).
   */
  giveBack(accountId: string, principal: string, stamp: string): Promise<void>;
  /**
   * Takes principals out of the count whatever stamp they carry: those the attacker made (attackerMade.ts), which
   * should never have taken a slot. Answers which of them were counted.
   */
  evict(accountId: string, principals: readonly string[], now: Date): Promise<string[]>;
  /** A principal IAM created less than this long ago takes no slot (0: every principal counts). */
  readonly youngPrincipalMs: number;
  breakerStatus(accountId: string, now: Date): Promise<BreakerStatus>;
  resetBreaker(accountId: string): Promise<void>;
}

export interface StateStore extends CredentialStore, Breaker, EstablishedMemo {
  /**
   * Appends to a credential's story (src/stores/dynamoTimeline.ts), kept as long as its record: the de-duplication
   * window from now, or the guard window (`guardUntil`) when that is later.
   */
  appendStory(key: string, entries: readonly TimelineEntry[], guardUntil: string | undefined, now: Date): Promise<void>;
  /** A credential's story, in the order it was appended. */
  story(key: string): Promise<TimelineEntry[]>;
  /**
   * The slots a containment counts against: its account's breaker, and the organisation's where Keystop reaches
   * member accounts (a setting of the deployment: in one account there is no second breaker).
   */
  breakersOf(slot: BreakerSlot): BreakerSlot[];
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
  /** The breaker it counts against: an account's (its id), or `ORGANISATION`. */
  accountId: string;
  principal: string;
  stamp?: string;
}

/** A slot an attempt took (its admission added the principal): the only kind ever given back. */
export type TakenSlot = Required<BreakerSlot>;
