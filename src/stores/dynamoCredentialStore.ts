import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  ScanCommand,
  type Update,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { type CredentialRecord, parseCredentialRecord } from '../decide/CredentialRecord';
import { followedRefsOf } from '../decide/followedGuard';
import type { Claim, CredentialStore } from './StateStore';

export interface CredentialStoreSettings {
  tableName: string;
  /** How long a credential's record is kept and compared against (a report of the same key by another source…). */
  dedupWindowMs: number;
  /**
   * How long an attempt holds the credential. Longer than the function's time-out, so a live invocation never
   * loses it; shorter than Lambda's first retry (about a minute), so the retry of a timed-out invocation takes over.
   */
  attemptLeaseMs: number;
}

/** 30 s function time-out + 15 s: see attemptLeaseMs. */
export const DEFAULT_ATTEMPT_LEASE_MS = 45_000;

// The record is one JSON document (`doc`), parsed with zod when read; the attributes conditions and TTL need sit
// beside it. Only these few are built by hand.
const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });
const seconds = (ms: number) => N(Math.ceil(ms / 1000));

/** `any`: whatever the windows say (a held record waits for the breaker's decision, however long that takes). */
type Window = 'dedup' | 'guard' | 'either' | 'any';

/**
 * A held record is kept until the breaker decides it (`keystop breaker reset --contain-held`, or a later report): its
 * item is not let expire with the de-duplication window. Bounded all the same, so that a table is never kept forever.
 */
const HELD_KEPT_MS = 90 * 24 * 3600_000;

/** The record an item holds, if it is inside the window asked for (the de-duplication window unless told). */
export function recordOf(
  item: Record<string, AttributeValue> | undefined,
  now: Date,
  { window = 'dedup' as Window } = {},
): CredentialRecord | undefined {
  if (item === undefined) return undefined;
  const inDedup = Number(item.expiresAt?.N ?? Number.POSITIVE_INFINITY) >= now.getTime();
  const inGuard = Number(item.guardUntil?.N ?? 0) >= now.getTime();
  const within = { dedup: inDedup, guard: inGuard, either: inDedup || inGuard, any: true }[window];
  if (!within) return undefined;
  const key = item.pk?.S ?? 'unknown';
  return parseCredentialRecord(
    key,
    {
      ...(item.doc?.S === undefined ? {} : { doc: item.doc.S }),
      legacy: {
        incidentId: item.incidentId?.S,
        state: item.state?.S,
        alertSent: item.alertSent?.BOOL,
        response: item.response?.S,
      },
    },
    now,
  );
}

/**
 * The claim of a credential for an attempt, as one conditional update: free, or the attempt holding it ran out of
 * lease (its invocation is gone); a live lease is never taken, whatever the age of the record. A record's own expiry
 * stays as its last save set it (the guard may keep it for days); a new one gets one.
 *
 * `fresh`: only a credential that has no record yet, or one not contained (a first report, or one only alerted on):
 * the critical path of a first containment, sent beside the breaker's admission. Anything else (a contained record,
 * a record of the previous format) fails the condition and comes back whole, to be decided from it.
 */
export function claimUpdate(
  settings: CredentialStoreSettings,
  key: string,
  incidentId: string,
  token: string,
  now: Date,
  { fresh }: { fresh: boolean },
): Update {
  const at = now.getTime();
  return {
    TableName: settings.tableName,
    Key: { pk: S(key) },
    UpdateExpression: 'SET attemptToken = :token, attemptIncident = :incident, leaseUntil = :lease, #ttl = if_not_exists(#ttl, :ttl)',
    ConditionExpression: fresh
      ? '(attribute_not_exists(attemptToken) OR leaseUntil < :now) AND attribute_not_exists(#state)' +
        ' AND (attribute_not_exists(doc) OR achieved IN (:none, :alerted))'
      : 'attribute_not_exists(attemptToken) OR leaseUntil < :now',
    ExpressionAttributeNames: { '#ttl': 'ttl', ...(fresh ? { '#state': 'state' } : {}) },
    ExpressionAttributeValues: {
      ':token': S(token),
      ':incident': S(incidentId),
      ':lease': N(at + settings.attemptLeaseMs),
      ':now': N(at),
      ':ttl': seconds(at + settings.dedupWindowMs),
      ...(fresh ? { ':none': S('none'), ':alerted': S('alerted') } : {}),
    },
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}

export function dynamoCredentialStore(dynamodb: DynamoDBClient, settings: CredentialStoreSettings): CredentialStore {
  const { tableName: TableName } = settings;

  async function scan(
    now: Date,
    filter: string,
    values: Record<string, AttributeValue>,
    { window = 'dedup' as Window } = {},
  ): Promise<CredentialRecord[]> {
    // Either window: filtered here (recordOf), not by the scan's expression, so one comparison decides both ways.
    const within = { dedup: ' AND expiresAt >= :now', guard: ' AND guardUntil >= :now', either: '', any: '' }[window];
    const records: CredentialRecord[] = [];
    let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await dynamodb.send(
        new ScanCommand({
          TableName,
          FilterExpression: `begins_with(pk, :credential)${within} AND attribute_exists(doc)${filter}`,
          ExpressionAttributeValues: { ':credential': S('credential#'), ...(within ? { ':now': N(now.getTime()) } : {}), ...values },
          ...(ExclusiveStartKey ? { ExclusiveStartKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const record = recordOf(item, now, { window });
        if (record) records.push(record);
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return records.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  return {
    async claim(key, incidentId, now) {
      const token = randomUUID();
      try {
        const { Attributes } = await dynamodb.send(
          new UpdateItemCommand({ ...claimUpdate(settings, key, incidentId, token, now, { fresh: false }), ReturnValues: 'ALL_OLD' }),
        );
        const guarded = recordOf(Attributes, now, { window: 'guard' });
        return { kind: 'claimed', token, record: recordOf(Attributes, now), ...(guarded ? { guarded } : {}) } satisfies Claim;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return { kind: 'busy', incidentId: error.Item?.attemptIncident?.S ?? 'unknown' } satisfies Claim;
      }
    },

    async save(key, token, record, now, { release }) {
      const at = now.getTime();
      // A contained credential is kept while the tamper guard watches it, even past the de-duplication window.
      const guardUntil = record.guardUntil === undefined || record.released ? 0 : Date.parse(record.guardUntil);
      const keepUntil = Math.max(at + settings.dedupWindowMs, guardUntil, record.held ? at + HELD_KEPT_MS : 0);
      await dynamodb.send(
        new UpdateItemCommand({
          TableName,
          Key: { pk: S(key) },
          UpdateExpression:
            'SET doc = :doc, accountId = :account, principal = :principal, held = :held, achieved = :achieved, updatedAt = :updated,' +
            ' expiresAt = :expires,' +
            ' guardUntil = :guardUntil, followed = :followed, #ttl = :ttl' +
            ' REMOVE incidentId, #state, alertSent, alertFailed, #response' +
            (release ? ', attemptToken, attemptIncident, leaseUntil' : ''),
          ConditionExpression: 'attemptToken = :token',
          ExpressionAttributeNames: { '#ttl': 'ttl', '#state': 'state', '#response': 'response' },
          ExpressionAttributeValues: {
            ':doc': S(JSON.stringify(record)),
            ':account': S(record.accountId),
            ':principal': S(record.principal ?? 'none'),
            ':held': { BOOL: record.held },
            ':achieved': S(record.achieved),
            ':updated': S(record.updatedAt),
            ':expires': N(at + settings.dedupWindowMs),
            ':guardUntil': N(guardUntil),
            // What the follow changed, watched by the guard through this record (src/decide/followedGuard.ts).
            ':followed': S(`|${followedRefsOf(record).join('|')}|`),
            ':ttl': seconds(keepUntil),
            ':token': S(token),
          },
        }),
      );
    },

    async read(key, now) {
      const { Item } = await dynamodb.send(new GetItemCommand({ TableName, Key: { pk: S(key) }, ConsistentRead: true }));
      const record = recordOf(Item, now);
      const guarded = recordOf(Item, now, { window: 'guard' });
      return { ...(record ? { record } : {}), ...(guarded ? { guarded } : {}) };
    },

    async release(key, token) {
      try {
        await dynamodb.send(
          new UpdateItemCommand({
            TableName,
            Key: { pk: S(key) },
            UpdateExpression: 'REMOVE attemptToken, attemptIncident, leaseUntil',
            ConditionExpression: 'attemptToken = :token',
            ExpressionAttributeValues: { ':token': S(token) },
          }),
        );
      } catch (error) {
        // Already taken over or released: nothing of ours to drop.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },

    // Held records are found whenever they were held: the breaker may stay open longer than the de-duplication window.
    held: (accountId, now) =>
      accountId === undefined
        ? scan(now, ' AND held = :true', { ':true': { BOOL: true } }, { window: 'any' })
        : scan(now, ' AND held = :true AND accountId = :account', { ':true': { BOOL: true }, ':account': S(accountId) }, { window: 'any' }),
    records: (now) => scan(now, '', {}),
    guarded: (accountId, principal, now) =>
      scan(
        now,
        ' AND accountId = :account AND principal = :principal',
        { ':account': S(accountId), ':principal': S(principal) },
        { window: 'guard' },
      ),
    followedBy: (accountId, ref, now) =>
      scan(
        now,
        ' AND accountId = :account AND contains(followed, :ref)',
        { ':account': S(accountId), ':ref': S(`|${ref}|`) },
        { window: 'guard' },
      ),
    watched: (now) => scan(now, '', {}, { window: 'either' }),
  };
}
