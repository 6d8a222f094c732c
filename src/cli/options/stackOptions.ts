import { type Command, Option } from 'commander';
import type { AwsOptions } from './awsOptions';

/** The commands that read or write a deployed stack's state table (breaker, release, contain --incident, incidents). */
export interface StackOptions extends AwsOptions {
  account?: string;
  /** Undefined when not given: the table is then keystop-state-prod, and no deployment is compared (DEFAULT_STAGE). */
  stage?: string;
  table?: string;
}

/** The stack's breaker settings, as `breaker` takes them; the other commands leave them to the defaults. */
export interface BreakerSettingsOptions extends StackOptions {
  limit?: string;
  windowMinutes?: string;
  orgLimit?: string;
}

/** The stage a stack command reads when --stage is not given. */
export const DEFAULT_STAGE = 'prod';

/**
 * --stage and --table: which deployment's state table and settings (keystop.settings.yml). No commander default for
 * --stage: a stage named explicitly is also checked against the deployed functions' settings.
 */
export function withStateTableOptions(command: Command): Command {
  return command
    .option(
      '--stage <stage>',
      `the deployed stage: its state table keystop-state-<stage> and its settings in keystop.settings.yml (default: ${DEFAULT_STAGE})`,
    )
    .option('--table <name>', 'the state table (default: $KEYSTOP_STATE_TABLE or keystop-state-<stage>)');
}

/** The state table a stack command reads and writes. */
export function tableNameOf(options: Pick<StackOptions, 'stage' | 'table'>): string {
  return options.table ?? (process.env.KEYSTOP_STATE_TABLE || `keystop-state-${options.stage ?? DEFAULT_STAGE}`);
}

/** --account: whose breaker or credentials (default: the account of the caller's credentials). */
export function accountOption(description: string): Option {
  return new Option('--account <id>', description);
}

/** --topic-arn: where alerts go; without one they are printed (see operator/cliDeps.ts). */
export function topicArnOption(description = 'alert topic (default: $KEYSTOP_ALERT_TOPIC_ARN; without one the alert is printed)'): Option {
  return new Option('--topic-arn <arn>', description);
}
