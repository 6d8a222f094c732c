import { type DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';

/**
 * Per breaker and per breaker window: the members a refusal already asked about (src/respond/incident/attackerMade.ts)
 * and found settled as established — no creator in the creation log and created before the breaker window — so that the
 * next refusal in the same window asks only about new members. A member whose creator is known is never remembered: that
 * creator may be contained later, and then the member is the attacker's. One item per breaker and window, kept (TTL)
 * for two windows.
 */
export interface EstablishedMemo {
  established(breaker: string, now: Date): Promise<string[]>;
  rememberEstablished(breaker: string, members: readonly string[], now: Date): Promise<void>;
}

export function dynamoEstablishedMemo(dynamodb: DynamoDBClient, settings: { tableName: string; breakerWindowMs: number }): EstablishedMemo {
  const { tableName: TableName, breakerWindowMs } = settings;
  const window = (now: Date) => Math.floor(now.getTime() / breakerWindowMs);
  const keyOf = (breaker: string, now: Date) => ({ pk: { S: `breaker-asked#${breaker}#${window(now)}` } });
  return {
    async established(breaker, now) {
      const { Item } = await dynamodb.send(new GetItemCommand({ TableName, Key: keyOf(breaker, now), ConsistentRead: true }));
      return Item?.members?.SS ?? [];
    },
    async rememberEstablished(breaker, members, now) {
      if (members.length === 0) return;
      const expires = Math.ceil(((window(now) + 2) * breakerWindowMs) / 1000);
      await dynamodb.send(
        new UpdateItemCommand({
          TableName,
          Key: keyOf(breaker, now),
          UpdateExpression: 'ADD members :members SET #ttl = :ttl',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':members': { SS: [...new Set(members)] }, ':ttl': { N: String(expires) } },
        }),
      );
    },
  };
}
