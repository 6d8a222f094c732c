import { Command } from 'commander';
import { type DecisionOptions, withDecisionOptions } from '../../options/decisionOptions';
import { jsonOption } from '../../options/jsonOption';

export interface ExplainOptions extends DecisionOptions {
  json?: boolean;
  accountId?: string;
}

export function policiesCommand(): Command {
  const command = new Command('policies').description('Check and explain response policies (no AWS call).');

  command
    .command('validate')
    .description(
      "Validate a policy file as osls package does: the policy schema and the functions' permissions (default: the shipped src/decide/policies.json).",
    )
    .argument('[file]', 'a JSON policy file')
    .addOption(jsonOption('document', '{"file", "policies"}'))
    .action(async (file: string | undefined, options: { json?: boolean }) =>
      (await import('./validateAction')).validateAction(file, options),
    );

  withDecisionOptions(
    command
      .command('explain')
      .description("Which policy matches this event, and what it would do, with the deployment's settings (no AWS call).")
      .argument('<event.json>', 'an EventBridge event')
      .option('--account-id <id>', "Keystop's own account, for the member-account allow-list (default: $KEYSTOP_ACCOUNT_ID)")
      .addOption(jsonOption('lines', 'the plan of each event')),
  ).action(async (file: string, options: ExplainOptions) => (await import('./explainAction')).explainAction(file, options));

  return command;
}
