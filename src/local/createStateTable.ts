import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** The state table as serverless.yml declares it (key `pk`, on demand), on the local emulator. */
export async function createStateTable(dynamodb: DynamoDBClient, tableName: string): Promise<void> {
  await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}
