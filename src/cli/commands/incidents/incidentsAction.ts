import { DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { systemClock } from '../../../aws/clock';
import { type Outcome, outcomes } from '../../../domain/IncidentResponse';
import { DEFAULT_ATTEMPT_LEASE_MS, dynamoCredentialStore } from '../../../stores/dynamoCredentialStore';
import { formatIncidentRows } from '../../format/formatIncidentRows';
import { resolveAws } from '../../operator/resolveAws';
import { tableNameOf } from '../../options/stackOptions';
import { UsageError } from '../../UsageError';
import { incidentRows } from './incidentRows';
import type { IncidentsOptions } from './incidentsCommand';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `30m`, `24h`, `7d` → milliseconds. */
function ageOf(text: string): number {
  const match = /^(\d+)([mhd])$/.exec(text.trim());
  if (!match) throw new UsageError(`--since ${JSON.stringify(text)} is not an age: a number and m, h or d (30m, 24h, 7d)`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

function outcomesOf(text: string | undefined): Outcome[] | undefined {
  if (text === undefined) return undefined;
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = list.filter((o) => !(outcomes as readonly string[]).includes(o));
  if (unknown.length > 0 || list.length === 0) {
    throw new UsageError(`--outcome ${JSON.stringify(text)}: each must be one of ${outcomes.join(', ')}`);
  }
  return list as Outcome[];
}

export async function incidentsAction(options: IncidentsOptions): Promise<void> {
  const age = ageOf(options.since);
  const wanted = outcomesOf(options.outcome);
  if (options.account !== undefined && !/^\d{12}$/.test(options.account)) {
    throw new UsageError(`--account ${JSON.stringify(options.account)} is not a 12-digit account id`);
  }
  const aws = await resolveAws(options);
  const tableName = tableNameOf(options);
  // Only read: the window and lease settings matter to writers.
  const store = dynamoCredentialStore(new DynamoDBClient(aws), { tableName, dedupWindowMs: 0, attemptLeaseMs: DEFAULT_ATTEMPT_LEASE_MS });
  const now = systemClock.now();
  const records = await store.records(now).catch((error: unknown) => {
    if (error instanceof ResourceNotFoundException) {
      throw new UsageError(
        `no state table ${tableName} in ${aws.region} (ResourceNotFoundException): check --stage, --region and the account of your credentials`,
      );
    }
    throw error;
  });
  const rows = incidentRows(records, {
    since: new Date(now.getTime() - age),
    ...(options.account ? { accountId: options.account } : {}),
    ...(wanted ? { outcomes: wanted } : {}),
  });
  process.stdout.write(options.json ? rows.map((row) => `${JSON.stringify(row)}\n`).join('') : `${formatIncidentRows(rows)}\n`);
}
