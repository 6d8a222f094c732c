import { DescribeTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import type { BreakerSettingsOptions } from '../options/stackOptions';
import { tableNameOf } from '../options/stackOptions';
import { operatorStore } from './operatorStore';
import { resolveAws } from './resolveAws';

/**
 * The stage's state store when its table exists where the credentials point, so a manual containment is recorded
 * like an automatic one (and the release command its alert prints finds it); undefined when there is no deployment
 * to record in, and the containment goes ahead unrecorded, as a responder's request must not wait on a table.
 */
export async function recordingStore(options: BreakerSettingsOptions): Promise<Awaited<ReturnType<typeof operatorStore>> | undefined> {
  const aws = await resolveAws(options);
  const tableName = tableNameOf(options);
  try {
    await new DynamoDBClient(aws).send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    const reason = error instanceof ResourceNotFoundException ? 'does not exist' : `cannot be read (${(error as Error).name})`;
    process.stderr.write(
      `keystop: the state table ${tableName} in ${aws.region} ${reason}: this containment is not recorded; undo it by hand, not with keystop release\n`,
    );
    return undefined;
  }
  return operatorStore(options);
}
