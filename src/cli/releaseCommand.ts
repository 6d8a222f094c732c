import { Command } from 'commander';
import { withAwsOptions } from './awsOptions';
import type { BreakerOptions } from './breakerCommand';

export interface ReleaseOptions extends BreakerOptions {
  incident?: string;
  accessKey?: string;
  user?: string;
  role?: string;
  reason: string;
  topicArn?: string;
  verbose?: boolean;
}

export function releaseCommand(): Command {
  return withAwsOptions(
    new Command('release')
      .description(
        "Undo a containment on purpose: reactivate the key or delete Keystop's deny policy, remove its tags, record who and why. The tamper guard leaves it alone; later reports are new evidence.",
      )
      .option('--incident <id>', 'the incident whose containment to undo (as alerts and `keystop incidents` name it)')
      .option('--access-key <id>', 'the contained access key')
      .option('--user <name>', 'every contained credential of this IAM user')
      .option('--role <name>', 'every contained session of this role')
      .requiredOption('--reason <text>', 'why, for the record, the alert and the audit trail')
      .option('--account <id>', 'the account (default: the account of your credentials)')
      .option('--stage <stage>', 'the deployed stage, naming the table keystop-state-<stage>', 'prod')
      .option('--table <name>', 'the state table (default: $KEYSTOP_STATE_TABLE or keystop-state-<stage>)')
      .option('--topic-arn <arn>', 'alert topic (default: $KEYSTOP_ALERT_TOPIC_ARN; without one the alert is printed)')
      .option('--json', 'print the responses as JSON'),
  ).action(async (options: ReleaseOptions) => (await import('./releaseAction')).releaseAction(options));
}
