import { LambdaClient } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { formatSelftest } from '../../format/formatSelftest';
import { resolveAws } from '../../operator/resolveAws';
import { UsageError } from '../../UsageError';
import { runSelftest } from './runSelftest';
import type { SelftestOptions } from './selftestCommand';

/** `keystop selftest`: a sample finding through the deployed GuardDuty function; exit 1 when a check fails. */
export async function selftestAction(options: SelftestOptions): Promise<void> {
  if (options.account !== undefined && !/^\d{12}$/.test(options.account)) {
    throw new UsageError(`--account ${JSON.stringify(options.account)} is not a 12-digit account id`);
  }
  const aws = await resolveAws(options);
  const accountId = options.account ?? (await new STSClient(aws).send(new GetCallerIdentityCommand({}))).Account!;
  const functionName = options.function ?? `keystop-${options.stage}-guardduty`;
  const report = await runSelftest(new LambdaClient(aws), { functionName, accountId, region: aws.region });
  process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatSelftest(report)}\n`);
  if (!report.ok) process.exitCode = 1;
}
