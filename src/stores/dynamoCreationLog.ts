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
  /**
   * What was remembered of this creator within the keep window, oldest first, never what the item holds malformed;
   * `overflowed`: something was left out because a list was full (the follow is then incomplete: ACTION NEEDED).
   */
  recall(accountId: string, creatorKeyId: string, now: Date): Promise<{ creations: Creation[]; overflowed: boolean }>;
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
