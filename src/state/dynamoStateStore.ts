import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { IncidentResponse } from '../IncidentResponse';
import { slideBreakerWindow } from './slideBreakerWindow';
import type { BreakerAdmission, BreakerStatus, Claim, CredentialRecord, StateStore } from './StateStore';

export interface StateSettings {
  tableName: string;
  /** How long a credential's record suppresses repeats (a report of the same key by another source, a re-delivery…). */
  dedupWindowMs: number;
  /** At most this many automatic containments per account… */
  breakerLimit: number;
  /** …per rolling window of this length. */
  breakerWindowMs: number;
}

/** Longer than the function's timeout: a claim older than this belongs to an invocation that died. */
const CLAIM_LEASE_MS = 2 * 60_000;
/** Concurrent breaker updates are settled by compare-and-swap on a version; a few rounds settle any real burst. */
const BREAKER_CAS_ROUNDS = 8;

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });
const ttlOf = (ms: number) => N(Math.ceil(ms / 1000));

export function dynamoStateStore(dynamodb: DynamoDBClient, settings: StateSettings): StateStore {
  const { tableName: TableName } = settings;
  const breakerKey = (accountId: string) => ({ pk: S(`breaker#${accountId}`) });

  async function readBreaker(accountId: string) {
    const { Item } = await dynamodb.send(new GetItemCommand({ TableName, Key: breakerKey(accountId), ConsistentRead: true }));
    return {
      times: (Item?.times?.L ?? []).map((v) => Number(v.N)),
      version: Number(Item?.version?.N ?? 0),
      openedAt: Item?.openedAt?.S,
    };
  }

  return {
    async claim(key, incidentId, now) {
      const at = now.getTime();
      try {
        await dynamodb.send(
          new PutItemCommand({
            TableName,
            Item: {
              pk: S(key),
              incidentId: S(incidentId),
              state: S('in-progress'),
              alertSent: { BOOL: false },
              leaseUntil: N(at + CLAIM_LEASE_MS),
              expiresAt: N(at + settings.dedupWindowMs),
              ttl: ttlOf(at + settings.dedupWindowMs),
            },
            ConditionExpression:
              'attribute_not_exists(pk) OR expiresAt < :now OR (#state = :inProgress AND leaseUntil < :now)',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':now': N(at), ':inProgress': S('in-progress') },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { kind: 'fresh' } satisfies Claim;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        const item = error.Item ?? {};
        const alertSent = item.alertSent?.BOOL ?? false;
        const leaseOver = Number(item.leaseUntil?.N ?? 0) < at;
        const record: CredentialRecord = {
          key,
          incidentId: item.incidentId?.S ?? 'unknown',
          state: item.state?.S === 'responded' ? 'responded' : 'in-progress',
          alertSent,
          resendAlert: !alertSent && (item.alertFailed?.BOOL === true || leaseOver),
          ...(item.response?.S ? { response: JSON.parse(item.response.S) as IncidentResponse } : {}),
        };
        return { kind: 'repeat', record } satisfies Claim;
      }
    },

    async recordResponse(key, response, now) {
      const at = now.getTime();
      await dynamodb.send(
        new UpdateItemCommand({
          TableName,
          Key: { pk: S(key) },
          UpdateExpression:
            'SET #state = :responded, #response = :response, alertSent = :false, alertFailed = :false, ' +
            'leaseUntil = :lease, expiresAt = :expires, #ttl = :ttl',
          ExpressionAttributeNames: { '#state': 'state', '#response': 'response', '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':responded': S('responded'),
            ':lease': N(at + CLAIM_LEASE_MS),
            ':response': S(JSON.stringify(response)),
            ':false': { BOOL: false },
            ':expires': N(at + settings.dedupWindowMs),
            ':ttl': ttlOf(at + settings.dedupWindowMs),
          },
        }),
      );
    },

    async markAlertSent(key) {
      await dynamodb.send(
        new UpdateItemCommand({
          TableName,
          Key: { pk: S(key) },
          UpdateExpression: 'SET alertSent = :true',
          ExpressionAttributeValues: { ':true': { BOOL: true } },
        }),
      );
    },

    async markAlertFailed(key) {
      await dynamodb.send(
        new UpdateItemCommand({
          TableName,
          Key: { pk: S(key) },
          UpdateExpression: 'SET alertFailed = :true',
          ExpressionAttributeValues: { ':true': { BOOL: true } },
        }),
      );
    },

    async release(key) {
      await dynamodb.send(new DeleteItemCommand({ TableName, Key: { pk: S(key) } }));
    },

    async admit(accountId, now) {
      const at = now.getTime();
      for (let round = 0; round < BREAKER_CAS_ROUNDS; round++) {
        const current = await readBreaker(accountId);
        const times = slideBreakerWindow(current.times, at, settings.breakerWindowMs);
        const open = times.length >= settings.breakerLimit;
        const justOpened = open && current.openedAt === undefined;
        if (open && !justOpened) return { admitted: false, justOpened: false, count: times.length } satisfies BreakerAdmission;
        const next = open ? times : [...times, at];
        try {
          await dynamodb.send(
            new PutItemCommand({
              TableName,
              Item: {
                ...breakerKey(accountId),
                times: { L: next.map(N) },
                version: N(current.version + 1),
                ...(open ? { openedAt: S(now.toISOString()) } : {}),
                ttl: ttlOf(at + settings.breakerWindowMs),
              },
              ConditionExpression: 'attribute_not_exists(pk) OR version = :version',
              ExpressionAttributeValues: { ':version': N(current.version) },
            }),
          );
          return { admitted: !open, justOpened, count: next.length };
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
      throw new Error(`the breaker of account ${accountId} is contended: ${BREAKER_CAS_ROUNDS} concurrent updates in a row`);
    },

    async breakerStatus(accountId, now) {
      const current = await readBreaker(accountId);
      const count = slideBreakerWindow(current.times, now.getTime(), settings.breakerWindowMs).length;
      const open = count >= settings.breakerLimit;
      return { accountId, count, open, ...(open && current.openedAt ? { openedAt: current.openedAt } : {}) };
    },

    async resetBreaker(accountId) {
      await dynamodb.send(new DeleteItemCommand({ TableName, Key: breakerKey(accountId) }));
    },
  };
}
