import { type Command, Option } from 'commander';
import type { AwsOptions } from './awsOptions';

/** The commands that read or write a deployed stack's state table (breaker, release, contain --incident, incidents). */
export interface StackOptions extends AwsOptions {
  account?: string;
  stage: string;
  table?: string;
}

/** The stack's breaker settings, as `breaker` takes them; the other commands leave them to the defaults. */
export interface BreakerSettingsOptions extends StackOptions {
  limit?: string;
  windowMinutes?: string;
}

/** --stage and --table: which deployment's state table; `scope` says when they apply (e.g. 'with --incident: '). */
export function withStateTableOptions(command: Command, scope = ''): Command {
  return command
    .option('--stage <stage>', `${scope}the deployed stage, naming the table keystop-state-<stage>`, 'prod')
    .option('--table <name>', `${scope}the state table (default: $KEYSTOP_STATE_TABLE or keystop-state-<stage>)`);
}

/** --account: whose breaker or credentials (default: the account of the caller's credentials). */
export function accountOption(description: string): Option {
  return new Option('--account <id>', description);
}

/** --topic-arn: where alerts go; without one they are printed (see operator/cliDeps.ts). */
export function topicArnOption(description = 'alert topic (default: $KEYSTOP_ALERT_TOPIC_ARN; without one the alert is printed)'): Option {
  return new Option('--topic-arn <arn>', description);
}
