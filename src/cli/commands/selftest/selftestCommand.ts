import { Command } from 'commander';
import { type AwsOptions, withAwsOptions } from '../../options/awsOptions';
import { jsonOption } from '../../options/jsonOption';

export interface SelftestOptions extends AwsOptions {
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
      .addOption(jsonOption('document', 'the checks')),
  ).action(async (options: SelftestOptions) => (await import('./selftestAction')).selftestAction(options));
}
