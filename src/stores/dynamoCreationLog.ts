import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { Creation, creationIdentity } from '../domain/Creation';

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

export function dynamoCreationLog(dynamodb: DynamoDBClient, { tableName: TableName, keepMs }: CreationLogSettings): CreationLog {
  return {
    async remember(accountId, creatorKeyId, creations, now) {
      if (creations.length === 0) return;
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
  };
}

function jsonOf(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
