import { Command } from 'commander';
import { outcomes } from '../../../domain/IncidentResponse';
import { withAwsOptions } from '../../options/awsOptions';
import { jsonOption } from '../../options/jsonOption';
import { accountOption, type StackOptions, withStateTableOptions } from '../../options/stackOptions';

export interface IncidentsOptions extends StackOptions {
  since: string;
  outcome?: string;
  json?: boolean;
}

export type IncidentShowOptions = Omit<IncidentsOptions, 'since' | 'outcome'>;

/** `keystop incidents`: what Keystop did, from the deployment's state table (like `custodian report`). */
export function incidentsCommand(): Command {
  const command = new Command('incidents')
    .description("What Keystop did, newest first: each credential's latest response, from the deployment's state table.")
    .option('--since <age>', 'only credentials whose record changed within this age: 30m, 24h, 7d', '24h')
    .addOption(accountOption("only this account's credentials"))
    .option('--outcome <list>', `only these outcomes, comma-separated: ${outcomes.join(', ')}`);
  withStateTableOptions(command).addOption(jsonOption('lines', 'each credential'));
  withAwsOptions(command).action(async (options: IncidentsOptions) => (await import('./incidentsAction')).incidentsAction(options));
  const show = command
    .command('show <incident-or-key>')
    .description(
      "One credential's story, oldest first: each report, decision, action, alert, guard event and human act, with time-to-contain.",
    )
    .addOption(accountOption('the account, where an access key id or incident id is not enough'));
  withStateTableOptions(show).addOption(jsonOption('document', 'the story'));
  // The parent's options (--table, --json, …) may stand after `show`, where commander gives them to the parent.
  withAwsOptions(show).action(async (which: string, _options: IncidentShowOptions, shown: Command) =>
    (await import('./incidentShowAction')).incidentShowAction(which, shown.optsWithGlobals<IncidentShowOptions>()),
  );
  return command;
}
