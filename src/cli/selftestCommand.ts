import { LambdaClient } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Command } from 'commander';
import { runSelftest, type SelftestReport } from './runSelftest';

export function formatSelftest(report: SelftestReport): string {
  const lines = report.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.check}: ${c.detail}`);
  lines.push(report.ok ? `selftest passed: ${report.functionName} answers, alerts, and never contains a sample` : 'selftest FAILED');
  return lines.join('\n');
}

/** `keystop selftest`: after a deployment, a sample finding through the deployed function (docs/deploy.md). */
export function selftestCommand(): Command {
  return new Command('selftest')
    .description('Check a deployed Keystop: send it a sample GuardDuty finding (never contained) and check it alerted.')
    .option('--stage <stage>', 'the stage Keystop was deployed with', 'prod')
    .option('--function <name>', 'the GuardDuty function (default: keystop-<stage>-guardduty)')
    .option('--region <region>', 'the region Keystop was deployed to (default: $AWS_REGION or us-east-1)')
    .option('--account <id>', "the finding's account (default: your credentials' account, i.e. Keystop's own)")
    .action(async (options: { stage: string; function?: string; region?: string; account?: string }) => {
      const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
      const accountId = options.account ?? (await new STSClient({ region }).send(new GetCallerIdentityCommand({}))).Account!;
      const functionName = options.function ?? `keystop-${options.stage}-guardduty`;
      const report = await runSelftest(new LambdaClient({ region }), { functionName, accountId, region });
      process.stdout.write(`${formatSelftest(report)}\n`);
      if (!report.ok) process.exitCode = 1;
    });
}
