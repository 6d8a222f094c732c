import { type Command, Option } from 'commander';

/** The deployment settings a deciding command takes, as flags or the environment variables the function reads. */
export interface DecisionOptions {
  /** The deployed stage whose settings (keystop.settings.yml) the command answers for. */
  stage?: string;
  policies?: string;
  honeyKeys?: string;
  exemptPrincipals?: string;
  exemptTag?: string;
  dryRun?: boolean;
  memberAccounts?: string;
  responders?: string;
  breakerLimit?: string;
  breakerWindowMinutes?: string;
}

/**
 * Every command that decides (sandbox, replay, explain, contain, demo) takes the settings the deployed function runs
 * with, from flags or the same environment variables, so that it answers exactly what the function would.
 */
export function withDecisionOptions(command: Command, { breaker = false }: { breaker?: boolean } = {}): Command {
  // contain declares --stage with its state table (options/stackOptions.ts): one option serves both.
  if (!command.options.some((option) => option.long === '--stage')) {
    command.addOption(
      new Option(
        '--stage <stage>',
        'answer for this deployed stage: its settings in keystop.settings.yml (flags and environment override them)',
      ),
    );
  }
  command
    .addOption(new Option('--policies <file>', "a policy file instead of the shipped one (the deployment's policiesFile)"))
    .addOption(new Option('--honey-keys <ids>', 'comma-separated honey key ids').env('KEYSTOP_HONEY_KEYS'))
    .addOption(new Option('--exempt-principals <list>', 'names or ARN patterns only ever alerted on').env('KEYSTOP_EXEMPT_PRINCIPALS'))
    .addOption(new Option('--exempt-tag <key=value>', "the exemption tag ('' turns it off)").env('KEYSTOP_EXEMPT_TAG'))
    // Not .env(): commander would take KEYSTOP_DRY_RUN=false for true. decisionSettings reads the variable itself.
    .addOption(new Option('--dry-run', 'report what would be done, change nothing (or KEYSTOP_DRY_RUN=true)'))
    .addOption(new Option('--member-accounts <ids>', 'member account ids that may be acted in, or *').env('KEYSTOP_MEMBER_ACCOUNTS'))
    .addOption(
      new Option('--responders <list>', 'names or ARN patterns whose IAM changes the tamper guard records, not undoes').env(
        'KEYSTOP_RESPONDERS',
      ),
    );
  if (breaker) {
    command
      .addOption(new Option('--breaker-limit <n>', 'automatic containments per account per window').env('KEYSTOP_BREAKER_LIMIT'))
      .addOption(new Option('--breaker-window-minutes <n>', 'the breaker window').env('KEYSTOP_BREAKER_WINDOW_MINUTES'));
  }
  return command;
}
