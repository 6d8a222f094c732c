import { Command, Option } from 'commander';
import { withAwsOptions } from '../../options/awsOptions';
import { accountOption, type BreakerSettingsOptions, topicArnOption, withStateTableOptions } from '../../options/stackOptions';

export interface BreakerOptions extends BreakerSettingsOptions {
  json?: boolean;
}

export interface BreakerResetOptions extends BreakerOptions {
  containHeld?: boolean;
  topicArn?: string;
  policies?: string;
}

const withStackOptions = (command: Command) =>
  withStateTableOptions(
    withAwsOptions(command).addOption(accountOption('the account whose breaker (default: the account of your credentials)')),
  )
    .addOption(new Option('--limit <n>', "the deployment's breakerLimit (default 10)").env('KEYSTOP_BREAKER_LIMIT'))
    .addOption(
      new Option('--window-minutes <n>', "the deployment's breakerWindowMinutes (default 60)").env('KEYSTOP_BREAKER_WINDOW_MINUTES'),
    )
    .option('--json', 'print the breaker as JSON');

export function breakerCommand(): Command {
  const command = new Command('breaker').description(
    'The blast-radius breaker: at most N automatic containments per account per window; then alerts only.',
  );
  withStackOptions(
    command.command('status').description('How many automatic containments the window holds, and whether the breaker is open.'),
  ).action(async (options: BreakerOptions) => (await import('./breakerActions')).breakerStatusAction(options));
  withStackOptions(
    command.command('reset').description("Close the breaker: forget the window's containments, so automatic containment resumes."),
  )
    .option('--contain-held', 'then contain, with your credentials, every credential whose containment the breaker held')
    .addOption(topicArnOption('alert topic for --contain-held (default: $KEYSTOP_ALERT_TOPIC_ARN; without one the alerts are printed)'))
    .option('--policies <file>', "for --contain-held: the deployment's policy file (default: the shipped one)")
    .action(async (options: BreakerResetOptions) => (await import('./breakerActions')).breakerResetAction(options));
  return command;
}
