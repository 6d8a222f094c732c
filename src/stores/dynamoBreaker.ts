import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type Update,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { Clock } from '../aws/clock';
import * as z from '../zod';
import { type Breaker, type BreakerAdmission, ORGANISATION } from './StateStore';

export interface BreakerSettings {
  tableName: string;
  /** At most this many distinct principals contained automatically per account… */
  breakerLimit: number;
  /** …per rolling window of this length. */
  breakerWindowMs: number;
  /** With member accounts: at most this many across all accounts per window (the ORGANISATION breaker's limit). */
  organisationLimit?: number;
  /**
   * Whether an account's limit is its share of the organisation's (accountShare). Default: with an organisation limit.
   * The operator's CLI reads the organisation's breaker in any deployment: it shares only where there are members.
   */
  shareAccounts?: boolean;
  /**
   * A principal IAM created less than this long ago takes no slot (src/respond/incident/attackerMade.ts): the breaker
   * bounds a storm over established principals, and one made inside its window is not one. Default: the window. 0: off
   * (the emulator cannot create a principal in the past: tests of a storm over established principals switch it off).
   */
  youngPrincipalMs?: number;
}

/**
 * How many accounts, together, must not be able to fill the organisation's breaker: an attacker who can raise reports in
 * three accounts (10 principals each under the default limits) would otherwise hold containment in every account for
 * the window, the leaked key it came for in a fourth included (docs/threat-model.md).
 */
const ACCOUNTS_THAT_CANNOT_FILL = 3;

/**
 * Where there is an organisation's breaker, an account's limit is also its share of the organisation's: at most
 * floor((orgLimit - 1) / 3), so that three accounts together count at most orgLimit - 1 and a fourth account's key
 * still finds a slot (default 25: 8). At least 1; never more than breakerLimit. A storm confined to one account then
 * trips that account's own breaker (its alert says the limit is the share) and leaves the organisation's closed.
 */
export function accountShare(breakerLimit: number, organisationLimit: number): number {
  return Math.min(breakerLimit, Math.max(1, Math.floor((organisationLimit - 1) / ACCOUNTS_THAT_CANNOT_FILL)));
}

/** The limit of a breaker: the organisation's, or an account's (its share of the organisation's, where there is one). */
const limitOf = (settings: BreakerSettings, accountId: string) => {
  if (accountId === ORGANISATION) return settings.organisationLimit ?? settings.breakerLimit;
  return settings.organisationLimit === undefined || settings.shareAccounts === false
    ? settings.breakerLimit
    : accountShare(settings.breakerLimit, settings.organisationLimit);
};

/** An account's limit lowered to its share of the organisation's: the organisation's limit, for the alert and status. */
const shareOf = (settings: BreakerSettings, accountId: string) =>
  accountId !== ORGANISATION && settings.organisationLimit !== undefined && limitOf(settings, accountId) < settings.breakerLimit
    ? { shareOf: settings.organisationLimit }
    : {};

/** The organisation breaker's members are `<account>/<principal>`: the accounts they are in. */
function accountsOf(principals: readonly string[]): number {
  return new Set(principals.map((p) => p.slice(0, p.indexOf('/')))).size;
}

/**
 * Concurrent breaker updates are settled by compare-and-swap on a version; a few rounds settle any real burst. The
 * version is a random token, not a counter: a counter starts again after a reset (the item is deleted) and could
 * match what a writer read before the reset, which would then write the old state back over it.
 */
const CAS_ROUNDS = 8;

/** One principal counted in the window: when it was last admitted, and the mark of the attempt that first admitted it. */
interface Admission {
  principal: string;
  at: number;
  mark: string;
}

interface BreakerDoc {
  principals: Admission[];
  openedAt?: string;
}

/** The format before admissions took one request (one JSON attribute): read, converted on the next write. */
const LegacyDoc = z.object({
  principals: z.array(z.object({ principal: z.string(), at: z.number() })),
  openedAt: z.optional(z.string()),
});

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });

// The breaker of an account is one item: `members` (a string set of the principals counted) and, per member,
// `at:<principal>` (when it was last admitted: the rolling window counts from there) and `first:<principal>` (the
// mark of the attempt that added it: only that attempt may give the slot back). Sets and per-member attributes, not
// one JSON document, so that an admission is a single conditional update (see admissionUpdate).
const atAttribute = (principal: string) => `at:${principal}`;
const markAttribute = (principal: string) => `first:${principal}`;

/** Pure: the admissions still inside the rolling window ending at `now`. */
function slideWindow(doc: BreakerDoc, now: number, windowMs: number): Admission[] {
  // No upper bound: an entry stamped by a Lambda whose clock runs slightly ahead still counts.
  return doc.principals.filter(({ at }) => at > now - windowMs);
}

/**
 * The admission of a principal as one conditional update (the critical path, beside the credential's claim): it
 * succeeds when the principal is counted already or the breaker has room. It counts every member, even one whose
 * time left the window: a breaker that looks full this way is decided by the exact path (`admit`), which drops what
 * left the window. A breaker that is new or reset has no item: the update creates it.
 * - A member counted inside the window is admitted and keeps its admission time: a repeat report (answered as a
 *   duplicate) must not keep a principal in the window. A member whose time left the window is refused here: the
 *   exact path trims it and admits it anew (admitting it here would count it at an old time the exact path drops).
 * - The mark is this attempt's, always: a slot goes back (`giveBack`) only while no other attempt admitted the
 *   principal since, so an attempt that steps aside never takes away the slot of one that went on.
 * - `openedAt` is left alone: the exact path decides whether a refusal opens the breaker anew (see admit).
 */
export function admissionUpdate(settings: BreakerSettings, accountId: string, principal: string, stamp: string, now: Date): Update {
  return {
    TableName: settings.tableName,
    Key: { pk: S(`breaker#${accountId}`) },
    UpdateExpression: 'ADD members :member SET #at = if_not_exists(#at, :now), #mark = :stamp, version = :stamp, #ttl = :ttl',
    ConditionExpression:
      '(attribute_not_exists(members) AND attribute_not_exists(doc)) OR (contains(members, :principal) AND #at > :windowStart)' +
      ' OR (NOT contains(members, :principal) AND size(members) < :limit)',
    ExpressionAttributeNames: { '#at': atAttribute(principal), '#mark': markAttribute(principal), '#ttl': 'ttl' },
    ExpressionAttributeValues: {
      ':member': { SS: [principal] },
      ':principal': S(principal),
      ':now': N(now.getTime()),
      ':windowStart': N(now.getTime() - settings.breakerWindowMs),
      ':stamp': S(stamp),
      ':ttl': N(Math.ceil((now.getTime() + settings.breakerWindowMs) / 1000)),
      ':limit': N(limitOf(settings, accountId)),
    },
  };
}

/** What an admission found (its ALL_OLD item): whether it took a new slot (the principal was not a member). */
export function admissionAdded(old: Record<string, AttributeValue> | undefined, principal: string): boolean {
  return !(old?.members?.SS ?? []).includes(principal);
}

/** A fresh mark for an admission: what `giveBack` takes, if this admission turns out to be the one that added it. */
export const newStamp = () => randomUUID();

export function dynamoBreaker(dynamodb: DynamoDBClient, settings: BreakerSettings, sleep: Clock['sleep']): Breaker {
  const { tableName: TableName } = settings;
  const Key = (accountId: string) => ({ pk: S(`breaker#${accountId}`) });

  /** The breaker as stored; version undefined when there is none (never opened, or reset). */
  async function read(accountId: string): Promise<{ doc: BreakerDoc; version: AttributeValue | undefined }> {
    const { Item } = await dynamodb.send(new GetItemCommand({ TableName, Key: Key(accountId), ConsistentRead: true }));
    return { doc: docOf(Item), version: Item?.version };
  }

  /** Writes the next state if nobody else wrote since `version`; false when someone did (read again). */
  async function swap(accountId: string, version: AttributeValue | undefined, doc: BreakerDoc, now: number): Promise<boolean> {
    const stamps = Object.fromEntries(
      doc.principals.flatMap((p) => [
        [atAttribute(p.principal), N(p.at)],
        [markAttribute(p.principal), S(p.mark)],
      ]),
    );
    try {
      await dynamodb.send(
        new PutItemCommand({
          TableName,
          Item: {
            ...Key(accountId),
            // A string set cannot be empty: no members, no attribute.
            ...(doc.principals.length > 0 ? { members: { SS: doc.principals.map((p) => p.principal) } } : {}),
            ...stamps,
            ...(doc.openedAt ? { openedAt: S(doc.openedAt) } : {}),
            version: S(randomUUID()),
            ttl: N(Math.ceil((now + settings.breakerWindowMs) / 1000)),
          },
          // A writer that read the breaker before a reset must not write its old state back over the reset.
          ...(version === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': version } }),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async function update<T>(accountId: string, now: number, next: (doc: BreakerDoc) => { doc?: BreakerDoc; result: T }): Promise<T> {
    for (let round = 0; round < CAS_ROUNDS; round++) {
      const { doc, version } = await read(accountId);
      const { doc: written, result } = next({ ...doc, principals: slideWindow(doc, now, settings.breakerWindowMs) });
      if (written === undefined || (await swap(accountId, version, written, now))) return result;
      // Contended: step aside a random moment so that concurrent writers spread out.
      await sleep(Math.random() * 20 * (round + 1));
    }
    throw new Error(`the breaker of account ${accountId} is contended: ${CAS_ROUNDS} concurrent updates in a row`);
  }

  return {
    youngPrincipalMs: settings.youngPrincipalMs ?? settings.breakerWindowMs,

    evict(accountId, principals, now) {
      return update<string[]>(accountId, now.getTime(), (doc) => {
        const evicted = doc.principals.filter((p) => principals.includes(p.principal)).map((p) => p.principal);
        if (evicted.length === 0) return { result: [] };
        return { doc: { ...doc, principals: doc.principals.filter((p) => !evicted.includes(p.principal)) }, result: evicted };
      });
    },

    admit(accountId, principal, now, { open = true } = {}) {
      const limit = limitOf(settings, accountId);
      const scope = (principals: readonly { principal: string }[]) =>
        accountId === ORGANISATION
          ? { limit, accounts: accountsOf(principals.map((p) => p.principal)) }
          : { limit, ...shareOf(settings, accountId) };
      return update<BreakerAdmission>(accountId, now.getTime(), (doc) => {
        const count = doc.principals.length;
        // Another session or key of a principal already counted takes no new slot, but leaves its own mark: the
        // attempt that added the principal can no longer give back a slot this one now counts on.
        if (doc.principals.some((p) => p.principal === principal)) {
          const principals = doc.principals.map((p) => (p.principal === principal ? { ...p, mark: randomUUID() } : p));
          return { doc: { ...doc, principals }, result: { admitted: true, added: false, justOpened: false, count, ...scope(principals) } };
        }
        if (count < limit) {
          const admission = { principal, at: now.getTime(), mark: randomUUID() };
          const principals = [...doc.principals, admission];
          return {
            doc: { ...doc, principals },
            result: { admitted: true, added: true, stamp: admission.mark, justOpened: false, count: count + 1, ...scope(principals) },
          };
        }
        // Still the same opening while every principal counted now was admitted before it: nobody was admitted since,
        // so the breaker stayed full. One admitted since means there was room in between: this refusal opens it anew
        // (admissions leave openedAt alone, so that a principal counted already does not close it).
        const since = doc.openedAt === undefined ? undefined : Date.parse(doc.openedAt);
        if (!open || (since !== undefined && doc.principals.every((p) => p.at <= since))) {
          return { result: { admitted: false, added: false, justOpened: false, count, ...scope(doc.principals) } };
        }
        return {
          doc: { ...doc, openedAt: now.toISOString() },
          result: { admitted: false, added: false, justOpened: true, count, ...scope(doc.principals) },
        };
      });
    },

    async giveBack(accountId, principal, stamp) {
      // Only if this attempt added the principal: one that was counted already (another key or session of it, contained)
      // keeps its slot.
      try {
        await dynamodb.send(
          new UpdateItemCommand({
            TableName,
            Key: Key(accountId),
            UpdateExpression: 'DELETE members :member REMOVE #at, #mark SET version = :version',
            ConditionExpression: '#mark = :stamp',
            ExpressionAttributeNames: { '#at': atAttribute(principal), '#mark': markAttribute(principal) },
            ExpressionAttributeValues: { ':member': { SS: [principal] }, ':stamp': S(stamp), ':version': S(randomUUID()) },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },

    async breakerStatus(accountId, now) {
      const { doc } = await read(accountId);
      const principals = slideWindow(doc, now.getTime(), settings.breakerWindowMs);
      const limit = limitOf(settings, accountId);
      const open = principals.length >= limit;
      const names = principals.map((p) => p.principal);
      return {
        accountId,
        count: principals.length,
        open,
        limit,
        ...(accountId === ORGANISATION ? { accounts: accountsOf(names) } : shareOf(settings, accountId)),
        principals: names,
        ...(open && doc.openedAt ? { openedAt: doc.openedAt } : {}),
      };
    },

    async resetBreaker(accountId) {
      await dynamodb.send(new DeleteItemCommand({ TableName, Key: Key(accountId) }));
    },
  };
}

/** The breaker document an item holds (either format); empty when there is none. */
function docOf(item: Record<string, AttributeValue> | undefined): BreakerDoc {
  if (item === undefined) return { principals: [] };
  const openedAt = item.openedAt?.S;
  const legacy = item.doc?.S === undefined ? undefined : LegacyDoc.parse(JSON.parse(item.doc.S));
  const principals: Admission[] = [
    ...(legacy?.principals ?? []).map((p) => ({ ...p, mark: 'legacy' })),
    ...(item.members?.SS ?? []).map((principal) => ({
      principal,
      at: Number(item[atAttribute(principal)]?.N ?? 0),
      mark: item[markAttribute(principal)]?.S ?? 'none',
    })),
  ];
  const opened = openedAt ?? legacy?.openedAt;
  // The latest admission of each principal (a legacy entry and a new one may name the same).
  const latest = new Map<string, Admission>();
  for (const admission of principals) {
    const seen = latest.get(admission.principal);
    if (seen === undefined || seen.at < admission.at) latest.set(admission.principal, admission);
  }
  return { principals: [...latest.values()], ...(opened ? { openedAt: opened } : {}) };
}
