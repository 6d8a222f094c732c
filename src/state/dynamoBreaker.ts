import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import type { Breaker, BreakerAdmission } from './StateStore';

export interface BreakerSettings {
  tableName: string;
  /** At most this many distinct principals contained automatically per account… */
  breakerLimit: number;
  /** …per rolling window of this length. */
  breakerWindowMs: number;
}

/** Concurrent breaker updates are settled by compare-and-swap on a version; a few rounds settle any real burst. */
const CAS_ROUNDS = 8;

const BreakerDoc = z.object({
  /** Each principal contained in the window, with when it was first admitted. */
  principals: z.array(z.object({ principal: z.string(), at: z.number() })),
  openedAt: z.string().optional(),
});
type BreakerDoc = z.infer<typeof BreakerDoc>;

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });

/** Pure: the admissions still inside the rolling window ending at `now`. */
export function slideWindow(doc: BreakerDoc, now: number, windowMs: number): BreakerDoc['principals'] {
  // No upper bound: an entry stamped by a Lambda whose clock runs slightly ahead still counts.
  return doc.principals.filter(({ at }) => at > now - windowMs);
}

export function dynamoBreaker(dynamodb: DynamoDBClient, settings: BreakerSettings): Breaker {
  const { tableName: TableName } = settings;
  const Key = (accountId: string) => ({ pk: S(`breaker#${accountId}`) });

  /** The breaker as stored; version undefined when there is none (never opened, or reset). */
  async function read(accountId: string): Promise<{ doc: BreakerDoc; version: number | undefined }> {
    const { Item } = await dynamodb.send(new GetItemCommand({ TableName, Key: Key(accountId), ConsistentRead: true }));
    const doc = Item?.doc?.S === undefined ? { principals: [] } : BreakerDoc.parse(JSON.parse(Item.doc.S));
    return { doc, version: Item?.version?.N === undefined ? undefined : Number(Item.version.N) };
  }

  /** Writes the next state if nobody else wrote since `version`; false when someone did (read again). */
  async function swap(accountId: string, version: number | undefined, doc: BreakerDoc, now: number): Promise<boolean> {
    try {
      await dynamodb.send(
        new PutItemCommand({
          TableName,
          Item: {
            ...Key(accountId),
            doc: S(JSON.stringify(doc)),
            version: N((version ?? 0) + 1),
            ttl: N(Math.ceil((now + settings.breakerWindowMs) / 1000)),
          },
          // A writer that read the breaker before a reset must not write its old state back over the reset.
          ...(version === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': N(version) } }),
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
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * (round + 1)));
    }
    throw new Error(`the breaker of account ${accountId} is contended: ${CAS_ROUNDS} concurrent updates in a row`);
  }

  return {
    admit(accountId, principal, now) {
      return update<BreakerAdmission>(accountId, now.getTime(), (doc) => {
        const count = doc.principals.length;
        // Another session or key of a principal already counted takes no new slot.
        if (doc.principals.some((p) => p.principal === principal))
          return { result: { admitted: true, added: false, justOpened: false, count } };
        if (count < settings.breakerLimit) {
          const { openedAt: _closed, ...rest } = doc;
          return {
            doc: { ...rest, principals: [...doc.principals, { principal, at: now.getTime() }] },
            result: { admitted: true, added: true, justOpened: false, count: count + 1 },
          };
        }
        if (doc.openedAt !== undefined) return { result: { admitted: false, added: false, justOpened: false, count } };
        return { doc: { ...doc, openedAt: now.toISOString() }, result: { admitted: false, added: false, justOpened: true, count } };
      });
    },

    giveBack(accountId, principal, now) {
      return update<void>(accountId, now.getTime(), (doc) =>
        doc.principals.some((p) => p.principal === principal)
          ? { doc: { ...doc, principals: doc.principals.filter((p) => p.principal !== principal) }, result: undefined }
          : { result: undefined },
      );
    },

    async breakerStatus(accountId, now) {
      const { doc } = await read(accountId);
      const principals = slideWindow(doc, now.getTime(), settings.breakerWindowMs);
      const open = principals.length >= settings.breakerLimit;
      return {
        accountId,
        count: principals.length,
        open,
        principals: principals.map((p) => p.principal),
        ...(open && doc.openedAt ? { openedAt: doc.openedAt } : {}),
      };
    },

    async resetBreaker(accountId) {
      await dynamodb.send(new DeleteItemCommand({ TableName, Key: Key(accountId) }));
    },
  };
}
