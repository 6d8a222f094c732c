import { Command } from 'commander';
import type { CliAwsOptions } from '../../operator/cliDeps';
import type { DecisionOptions } from '../../options/decisionOptions';
import { jsonOption } from '../../options/jsonOption';
import { withRespondingOptions } from '../../options/respondingOptions';
import { withStateTableOptions } from '../../options/stackOptions';

export interface ContainOptions extends CliAwsOptions, DecisionOptions {
  accessKey?: string;
  incident?: string;
  user?: string;
  role?: string;
  reason: string;
  table?: string;
}

export function containCommand(): Command {
  const command = new Command('contain')
    .description(
      'Contain a key a human reported, or approve an incident Keystop only alerted on (--incident): the same actions, guardrails and alert as an automatic response, with your AWS credentials.',
    )
    .option('--access-key <id>', 'the access key id (AKIA… long-term, ASIA… temporary)')
    .option(
      '--incident <id>',
      "approve an incident Keystop alerted on: contained as the policy for source 'approved' says (read from the state table)",
    );
  withStateTableOptions(command)
    .option('--user <name>', "the key's IAM user (looked up in IAM when omitted for an AKIA key)")
    .option('--role <name>', 'for an ASIA key of a role session: the role')
    .option('--reason <text>', 'why, for the alert and the audit trail', 'reported by a responder');
  return withRespondingOptions(command, jsonOption('document', 'the responses (and a printed alert)')).action(
    async (options: ContainOptions) => (await import('./containAction')).containAction(options),
  );
}
