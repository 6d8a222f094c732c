import { DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { systemClock } from '../../../aws/clock';
import { formatTimeline, timeToContainMs } from '../../../report/timelineOf';
import { DEFAULT_ATTEMPT_LEASE_MS, dynamoCredentialStore } from '../../../stores/dynamoCredentialStore';
import { dynamoTimeline } from '../../../stores/dynamoTimeline';
import { resolveAws } from '../../operator/resolveAws';
import { tableNameOf } from '../../options/stackOptions';
import { UsageError } from '../../UsageError';
import type { IncidentShowOptions } from './incidentsCommand';

/**
 * `keystop incidents show <incident or key>`: one credential's story, oldest first, with time-to-contain. The argument
 * is an incident id Keystop answered (the latest or the strongest of its credential), an access key id, or a record key.
 */
export async function incidentShowAction(which: string, options: IncidentShowOptions): Promise<void> {
  if (options.account !== undefined && !/^\d{12}$/.test(options.account)) {
    throw new UsageError(`--account ${JSON.stringify(options.account)} is not a 12-digit account id`);
  }
  const aws = await resolveAws(options);
  const tableName = tableNameOf(options);
  const dynamodb = new DynamoDBClient(aws);
  // Only read: the window and lease settings matter to writers.
  const store = dynamoCredentialStore(dynamodb, { tableName, dedupWindowMs: 0, attemptLeaseMs: DEFAULT_ATTEMPT_LEASE_MS });
  const records = await store.watched(systemClock.now()).catch((error: unknown) => {
    if (error instanceof ResourceNotFoundException) {
      throw new UsageError(
        `no state table ${tableName} in ${aws.region} (ResourceNotFoundException): check --stage, --region and the account of your credentials`,
      );
    }
    throw error;
  });
  const matches = records.filter(
    (r) =>
      (options.account === undefined || r.accountId === options.account) &&
      (r.key === which || r.key.endsWith(`#${which}`) || r.last?.incident.id === which || r.demand?.id === which),
  );
  const keys = [...new Set(matches.map((r) => r.key))];
  if (keys.length === 0)
    throw new UsageError(
      `no credential of ${JSON.stringify(which)} in ${tableName}: give an incident id, an access key id or a record key`,
    );
  if (keys.length > 1)
    throw new UsageError(`${JSON.stringify(which)} names ${keys.length} credentials (${keys.join(', ')}): add --account`);
  const key = keys[0]!;
  const entries = await dynamoTimeline(dynamodb, { tableName }).read(key);
  const ttc = timeToContainMs(entries);
  process.stdout.write(
    options.json ? `${JSON.stringify({ key, entries, timeToContainMs: ttc ?? null })}\n` : `${formatTimeline(key, entries)}\n`,
  );
}
