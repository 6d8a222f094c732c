import { Command, Option } from 'commander';
import { withAwsOptions } from '../../options/awsOptions';
import { jsonOption } from '../../options/jsonOption';
import { accountOption, type BreakerSettingsOptions, topicArnOption, withStateTableOptions } from '../../options/stackOptions';

export interface BreakerOptions extends BreakerSettingsOptions {
  json?: boolean;
}

export interface BreakerResetOptions extends BreakerOptions {
  org?: boolean;
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
    .addOption(new Option('--org-limit <n>', "the deployment's orgBreakerLimit (default 25)").env('KEYSTOP_ORG_BREAKER_LIMIT'))
    .addOption(jsonOption('document', 'the breaker (reset: what was reset and, with --contain-held, the responses)'));

export function breakerCommand(): Command {
  const command = new Command('breaker').description(
    'The blast-radius breakers: at most N automatic containments per account (and M across the organisation) per window; then alerts only.',
  );
  withStackOptions(
    command
      .command('status')
      .description("How many automatic containments the window holds, and whether the account's and the organisation's breakers are open."),
  ).action(async (options: BreakerOptions) => (await import('./breakerActions')).breakerStatusAction(options));
  withStackOptions(
    command.command('reset').description("Close the breaker: forget the window's containments, so automatic containment resumes."),
  )
    .option('--org', "reset the organisation's breaker (every account together) instead of the account's")
    .option('--contain-held', 'then contain, with your credentials, every credential whose containment the breaker held')
    .addOption(topicArnOption('alert topic for --contain-held (default: $KEYSTOP_ALERT_TOPIC_ARN; without one the alerts are printed)'))
    .option('--policies <file>', "for --contain-held: the deployment's policy file (default: the shipped one)")
    .action(async (options: BreakerResetOptions) => (await import('./breakerActions')).breakerResetAction(options));
  return command;
}
