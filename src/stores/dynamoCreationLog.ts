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
  /**
   * What was remembered of this creator within the keep window, oldest first, never what the item holds malformed;
   * `overflowed`: something was left out because a list was full (the follow is then incomplete: ACTION NEEDED).
   */
  recall(accountId: string, creatorKeyId: string, now: Date): Promise<{ creations: Creation[]; overflowed: boolean }>;
}

export interface CreationLogSettings {
  tableName: string;
  /** How long a creator's entries are kept after its latest (default: a day, the activity lookup's window). */
  keepMs: number;
}

/**
 * A creator that made more than this of one kind is summarised by the event history, not the log: the item stays
 * small. Two lists, each with its own cap, so that cheap calls (a policy written again and again, a console password)
 * cannot push out what is contained (keys, users, roles, renames): `entries` and `listed`. The same thing made twice is
 * written once (`seen` holds each one's identity), and an entry refused for a full list marks the item `overflowed`.
 */
const MAX_ENTRIES = 100;
const listOf = (creation: Creation): 'entries' | 'listed' =>
  creation.kind === 'policy' || creation.kind === 'login-profile' ? 'listed' : 'entries';

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });
const keyOf = (accountId: string, creatorKeyId: string) => ({ pk: S(`created-by#${accountId}#${creatorKeyId}`) });

export function dynamoCreationLog(dynamodb: DynamoDBClient, { tableName: TableName, keepMs }: CreationLogSettings): CreationLog {
  return {
    async remember(accountId, creatorKeyId, creations, now) {
      if (creations.length === 0) return;
      for (const creation of creations) await noteOnce(dynamodb, TableName, keyOf(accountId, creatorKeyId), creation, now, keepMs);
    },

    async recall(accountId, creatorKeyId, now) {
      const { Item } = await dynamodb.send(new GetItemCommand({ TableName, Key: keyOf(accountId, creatorKeyId), ConsistentRead: true }));
      if (Item === undefined || Number(Item.expiresAt?.N ?? 0) < now.getTime()) return { creations: [], overflowed: false };
      const found = new Map<string, Creation>();
      for (const entry of [...(Item.entries?.L ?? []), ...(Item.listed?.L ?? [])]) {
        const parsed = Creation.safeParse(jsonOf(entry.S));
        if (parsed.success && !found.has(creationIdentity(parsed.data))) found.set(creationIdentity(parsed.data), parsed.data);
      }
      const creations = [...found.values()].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      // An item written before the lists were split has a full `entries` and no mark: full is overflowed too.
      return { creations, overflowed: Item.overflowed?.BOOL === true || (Item.entries?.L?.length ?? 0) >= MAX_ENTRIES };
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

/**
 * Appends one creation to its list unless the same thing was noted already (its identity in `seen`) or the list is
 * full; a full list marks the item overflowed instead (a repeat of something noted does not).
 */
async function noteOnce(
  dynamodb: DynamoDBClient,
  TableName: string,
  Key: Record<string, AttributeValue>,
  creation: Creation,
  now: Date,
  keepMs: number,
): Promise<void> {
  const expiry = {
    ':expires': N(now.getTime() + keepMs),
    ':ttl': N(Math.ceil((now.getTime() + keepMs) / 1000)),
    ':id': S(creationIdentity(creation)),
  };
  try {
    await dynamodb.send(
      new UpdateItemCommand({
        TableName,
        Key,
        UpdateExpression: 'SET #list = list_append(if_not_exists(#list, :none), :new), expiresAt = :expires, #ttl = :ttl ADD seen :ids',
        ConditionExpression:
          '(attribute_not_exists(seen) OR NOT contains(seen, :id)) AND (attribute_not_exists(#list) OR size(#list) < :max)',
        ExpressionAttributeNames: { '#ttl': 'ttl', '#list': listOf(creation) },
        ExpressionAttributeValues: {
          ...expiry,
          ':none': { L: [] },
          ':new': { L: [S(JSON.stringify(creation))] },
          ':ids': { SS: [creationIdentity(creation)] },
          ':max': N(MAX_ENTRIES),
        },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    // Noted already, or the list is full: only the second is marked (the event history still has the rest).
    await dynamodb
      .send(
        new UpdateItemCommand({
          TableName,
          Key,
          UpdateExpression: 'SET overflowed = :yes, expiresAt = :expires, #ttl = :ttl',
          ConditionExpression: 'attribute_exists(seen) AND NOT contains(seen, :id)',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ...expiry, ':yes': { BOOL: true } },
        }),
      )
      .catch((marking: unknown) => {
        if (!(marking instanceof ConditionalCheckFailedException)) throw marking;
      });
  }
}
