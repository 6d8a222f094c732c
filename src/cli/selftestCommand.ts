import { Command } from 'commander';
import { type AwsOptions, withAwsOptions } from './awsOptions';
import type { SelftestReport } from './runSelftest';

export function formatSelftest(report: SelftestReport): string {
  const lines = report.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.check}: ${c.detail}`);
  lines.push(report.ok ? `selftest passed: ${report.functionName} answers, alerts, and never contains a sample` : 'selftest FAILED');
  return lines.join('\n');
}

interface SelftestOptions extends AwsOptions {
  stage: string;
  function?: string;
  account?: string;
  json?: boolean;
}

/** `keystop selftest`: after a deployment, a sample finding through the deployed function (docs/deploy.md). */
export function selftestCommand(): Command {
  return withAwsOptions(
    new Command('selftest')
      .description('Check a deployed Keystop: send it a sample GuardDuty finding (never contained) and check it alerted.')
      .option('--stage <stage>', 'the stage Keystop was deployed with', 'prod')
      .option('--function <name>', 'the GuardDuty function (default: keystop-<stage>-guardduty)')
      .option('--account <id>', "the finding's account (default: your credentials' account, i.e. Keystop's own)")
      .option('--json', 'print the checks as JSON'),
  ).action(async (options: SelftestOptions) => {
    const [{ LambdaClient }, { GetCallerIdentityCommand, STSClient }, { runSelftest }, { resolveAws }, { UsageError }] = await Promise.all([
      import('@aws-sdk/client-lambda'),
      import('@aws-sdk/client-sts'),
      import('./runSelftest'),
      import('./resolveAws'),
      import('./UsageError'),
    ]);
    if (options.account !== undefined && !/^\d{12}$/.test(options.account)) {
      throw new UsageError(`--account ${JSON.stringify(options.account)} is not a 12-digit account id`);
    }
    const aws = await resolveAws(options);
    const accountId = options.account ?? (await new STSClient(aws).send(new GetCallerIdentityCommand({}))).Account!;
    const functionName = options.function ?? `keystop-${options.stage}-guardduty`;
    const report = await runSelftest(new LambdaClient(aws), { functionName, accountId, region: aws.region });
    process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatSelftest(report)}\n`);
    if (!report.ok) process.exitCode = 1;
  });
}
