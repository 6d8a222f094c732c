import { Command } from 'commander';
import type { CliAwsOptions } from './cliDeps';
import type { DecisionOptions } from './decisionOptions';
import { withRespondingOptions } from './respondingOptions';

export interface ContainOptions extends CliAwsOptions, DecisionOptions {
  accessKey: string;
  user?: string;
  role?: string;
  reason: string;
}

export function containCommand(): Command {
  return withRespondingOptions(
    new Command('contain')
      .description('Contain a key a human reported: the same actions and alert as an automatic response, with your AWS credentials.')
      .requiredOption('--access-key <id>', 'the access key id (AKIA… long-term, ASIA… temporary)')
      .option('--user <name>', "the key's IAM user (looked up in IAM when omitted for an AKIA key)")
      .option('--role <name>', 'for an ASIA key of a role session: the role')
      .option('--reason <text>', 'why, for the alert and the audit trail', 'reported by a responder'),
  ).action(async (options: ContainOptions) => (await import('./containAction')).containAction(options));
}
