import { Command } from 'commander';
import { withAwsOptions } from '../../options/awsOptions';
import { jsonOption } from '../../options/jsonOption';
import { accountOption, type BreakerSettingsOptions, topicArnOption, withStateTableOptions } from '../../options/stackOptions';

export interface ReleaseOptions extends BreakerSettingsOptions {
  incident?: string;
  accessKey?: string;
  user?: string;
  role?: string;
  reason: string;
  topicArn?: string;
  verbose?: boolean;
  json?: boolean;
}

export function releaseCommand(): Command {
  const command = new Command('release')
    .description(
      "Undo a containment on purpose: reactivate the key or delete Keystop's deny policy, remove its tags, record who and why. The tamper guard leaves it alone; later reports are new evidence.",
    )
    .option('--incident <id>', 'the incident whose containment to undo (as alerts and `keystop incidents` name it)')
    .option('--access-key <id>', 'the contained access key')
    .option('--user <name>', 'every contained credential of this IAM user')
    .option('--role <name>', 'every contained session of this role')
    .requiredOption('--reason <text>', 'why, for the record, the alert and the audit trail')
    .addOption(accountOption('the account (default: the account of your credentials)'));
  withStateTableOptions(command).addOption(topicArnOption()).addOption(jsonOption('document', 'the responses'));
  return withAwsOptions(command).action(async (options: ReleaseOptions) => (await import('./releaseAction')).releaseAction(options));
}
