import { ConditionalCheckFailedException, type DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { TimelineEntry } from '../domain/TimelineEntry';

/** A credential's story, appended as it happens (src/report/timelineOf.ts), beside its record in the state table. */
export interface TimelineStore {
  /** Appends in order; keeps the item at least until `keepUntil` (the record's own expiry). */
  append(credentialKey: string, entries: readonly TimelineEntry[], keepUntil: Date): Promise<void>;
  read(credentialKey: string): Promise<TimelineEntry[]>;
}

/**
 * Bounded: a flood of reports or guard events about one credential (an attacker's doing) must not grow one item past
 * DynamoDB's 400 KB. Past the bound the story keeps its beginning (the first report, the containment) and says that
 * later entries were not kept; the alerts and logs still have them.
 */
export const MAX_TIMELINE_ENTRIES = 300;

const keyOf = (credentialKey: string) => ({ pk: { S: `timeline#${credentialKey}` } });

export function dynamoTimeline(dynamodb: DynamoDBClient, { tableName: TableName }: { tableName: string }): TimelineStore {
  return {
    async append(credentialKey, entries, keepUntil) {
      if (entries.length === 0) return;
      const kept = Math.ceil(keepUntil.getTime() / 1000);
      const values = (list: readonly TimelineEntry[]) => ({ L: list.map((e) => ({ S: JSON.stringify(e) })) });
      try {
        await dynamodb.send(
          new UpdateItemCommand({
            TableName,
            Key: keyOf(credentialKey),
            UpdateExpression: 'SET entries = list_append(if_not_exists(entries, :none), :new), #ttl = :ttl',
            ConditionExpression: 'attribute_not_exists(entries) OR size(entries) <= :room',
            ExpressionAttributeNames: { '#ttl': 'ttl' },
            ExpressionAttributeValues: {
              ':none': { L: [] },
              ':new': values(entries),
              ':ttl': { N: String(kept) },
              ':room': { N: String(MAX_TIMELINE_ENTRIES - entries.length) },
            },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // Full: one closing line, once (`storyFull` marks that it was written).
        const closing: TimelineEntry = { at: entries[0]!.at, kind: 'decision', text: 'later entries were not kept (the story is full)' };
        await dynamodb
          .send(
            new UpdateItemCommand({
              TableName,
              Key: keyOf(credentialKey),
              UpdateExpression: 'SET entries = list_append(entries, :closing), #ttl = :ttl, storyFull = :yes',
              ConditionExpression: 'attribute_not_exists(storyFull)',
              ExpressionAttributeNames: { '#ttl': 'ttl' },
              ExpressionAttributeValues: { ':closing': values([closing]), ':ttl': { N: String(kept) }, ':yes': { BOOL: true } },
            }),
          )
          .catch((again: unknown) => {
            if (!(again instanceof ConditionalCheckFailedException)) throw again;
          });
      }
    },

    async read(credentialKey) {
      const { Item } = await dynamodb.send(new GetItemCommand({ TableName, Key: keyOf(credentialKey), ConsistentRead: true }));
      return (Item?.entries?.L ?? []).flatMap((entry) => {
        const parsed = TimelineEntry.safeParse(parseJson(entry.S));
        return parsed.success ? [parsed.data] : [];
      });
    },
  };
}

function parseJson(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
