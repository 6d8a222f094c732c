import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { Creation, creationIdentity } from '../domain/Creation';
import * as z from '../zod';

/**
 * Who made what, remembered briefly: the IAM events reach EventBridge within seconds, while CloudTrail's event history
 * shows a call only minutes later. What a credential made is noted here as its events arrive (one item per creating
 * access key, in the state table), so that containing that credential can follow what it made without waiting for
 * the history; the history is read too, for what the stream did not cover.
 */
export interface CreationLog {
  remember(accountId: string, creatorKeyId: string, creations: readonly Creation[], now: Date): Promise<void>;
  /** What was remembered of this creator within the keep window, oldest first; never what the item holds malformed. */
  recall(accountId: string, creatorKeyId: string, now: Date): Promise<Creation[]>;
  /**
   * Which key made one of these (`user/NAME`, `role/NAME`, an access key id), within the keep window: the breaker asks
   * it before counting a principal (src/respond/incident/attackerMade.ts). The first that was noted, in that order.
   */
  creatorOf(accountId: string, made: readonly string[], now: Date): Promise<{ made: string; creatorKeyId: string; at: string } | undefined>;
}

/**
 * What a creation made that can later be reported on its own: the principal (users, roles) or the key. A key made for
 * an existing user names the key, never the user: a user the attacker did not make is never taken for the attacker's.
 */
function madeRefOf(creation: Creation): string | undefined {
  switch (creation.kind) {
    case 'user':
      return `user/${creation.userName}`;
    case 'role':
      return `role/${creation.roleName}`;
    case 'access-key':
      return creation.accessKeyId;
    default:
      return undefined;
  }
}

export interface CreationLogSettings {
  tableName: string;
  /** How long a creator's entries are kept after its latest (default: a day, the activity lookup's window). */
  keepMs: number;
}

/** A creator that made more than this is summarised by the event history, not the log: the item stays small. */
const MAX_ENTRIES = 100;

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });
const keyOf = (accountId: string, creatorKeyId: string) => ({ pk: S(`created-by#${accountId}#${creatorKeyId}`) });
const madeKeyOf = (accountId: string, made: string) => ({ pk: S(`made#${accountId}#${made}`) });
const CreatorKeyId = z.string().check(z.regex(/^AKIA[A-Z0-9]{12,124}$/));

export function dynamoCreationLog(dynamodb: DynamoDBClient, { tableName: TableName, keepMs }: CreationLogSettings): CreationLog {
  return {
    async remember(accountId, creatorKeyId, creations, now) {
      if (creations.length === 0) return;
      // Each principal or key made, by what it is (one item each, not capped: the breaker asks by the principal).
      await Promise.all(
        creations.flatMap((creation) => {
          const made = madeRefOf(creation);
          if (made === undefined) return [];
          const expires = now.getTime() + keepMs;
          const Item = { ...madeKeyOf(accountId, made), creator: S(creatorKeyId), at: S(creation.at), expiresAt: N(expires) };
          return [dynamodb.send(new PutItemCommand({ TableName, Item: { ...Item, ttl: N(Math.ceil(expires / 1000)) } }))];
        }),
      );
      try {
        await dynamodb.send(
          new UpdateItemCommand({
            TableName,
            Key: keyOf(accountId, creatorKeyId),
            UpdateExpression: 'SET entries = list_append(if_not_exists(entries, :none), :new), expiresAt = :expires, #ttl = :ttl',
            ConditionExpression: 'attribute_not_exists(entries) OR size(entries) < :max',
            ExpressionAttributeNames: { '#ttl': 'ttl' },
            ExpressionAttributeValues: {
              ':none': { L: [] },
              ':new': { L: creations.map((c) => S(JSON.stringify(c))) },
              ':expires': N(now.getTime() + keepMs),
              ':ttl': N(Math.ceil((now.getTime() + keepMs) / 1000)),
              ':max': N(MAX_ENTRIES),
            },
          }),
        );
      } catch (error) {
        // Full: the event history still has the rest.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },

    async recall(accountId, creatorKeyId, now) {
      const { Item } = await dynamodb.send(new GetItemCommand({ TableName, Key: keyOf(accountId, creatorKeyId), ConsistentRead: true }));
      if (Item === undefined || Number(Item.expiresAt?.N ?? 0) < now.getTime()) return [];
      const found = new Map<string, Creation>();
      for (const entry of Item.entries?.L ?? []) {
        const parsed = Creation.safeParse(jsonOf(entry.S));
        if (parsed.success && !found.has(creationIdentity(parsed.data))) found.set(creationIdentity(parsed.data), parsed.data);
      }
      return [...found.values()].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    },

    async creatorOf(accountId, made, now) {
      const items = await Promise.all(
        made.map(async (one) => {
          const { Item } = await dynamodb.send(new GetItemCommand({ TableName, Key: madeKeyOf(accountId, one), ConsistentRead: true }));
          const creator = CreatorKeyId.safeParse(Item?.creator?.S);
          if (Item === undefined || !creator.success || Number(Item.expiresAt?.N ?? 0) < now.getTime()) return undefined;
          return { made: one, creatorKeyId: creator.data, at: Item.at?.S ?? 'unknown' };
        }),
      );
      return items.find((item) => item !== undefined);
    },
  };
}

function jsonOf(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
