import { Command } from 'commander';
import { outcomes } from '../domain/IncidentResponse';
import { type AwsOptions, withAwsOptions } from './awsOptions';

export interface IncidentsOptions extends AwsOptions {
  since: string;
  account?: string;
  outcome?: string;
  stage: string;
  table?: string;
  json?: boolean;
}

export type IncidentShowOptions = Omit<IncidentsOptions, 'since' | 'outcome'>;

/** `keystop incidents`: what Keystop did, from the deployment's state table (like `custodian report`). */
export function incidentsCommand(): Command {
  const command = withAwsOptions(
    new Command('incidents')
      .description("What Keystop did, newest first: each credential's latest response, from the deployment's state table.")
      .option('--since <age>', 'only credentials whose record changed within this age: 30m, 24h, 7d', '24h')
      .option('--account <id>', "only this account's credentials")
      .option('--outcome <list>', `only these outcomes, comma-separated: ${outcomes.join(', ')}`)
      .option('--stage <stage>', 'the deployed stage, naming the table keystop-state-<stage>', 'prod')
      .option('--table <name>', 'the state table (default: $KEYSTOP_STATE_TABLE or keystop-state-<stage>)')
      .option('--json', 'print one JSON object per credential, one per line'),
  ).action(async (options: IncidentsOptions) => (await import('./incidentsAction')).incidentsAction(options));
  withAwsOptions(
    command
      .command('show <incident-or-key>')
      .description(
        "One credential's story, oldest first: each report, decision, action, alert, guard event and human act, with time-to-contain.",
      )
      .option('--account <id>', 'the account, where an access key id or incident id is not enough')
      .option('--stage <stage>', 'the deployed stage, naming the table keystop-state-<stage>', 'prod')
      .option('--table <name>', 'the state table (default: $KEYSTOP_STATE_TABLE or keystop-state-<stage>)')
      .option('--json', 'print the story as one JSON object'),
    // The parent's options (--table, --json, …) may stand after `show`, where commander gives them to the parent.
  ).action(async (which: string, _options: IncidentShowOptions, show: Command) =>
    (await import('./incidentShowAction')).incidentShowAction(which, show.optsWithGlobals<IncidentShowOptions>()),
  );
  return command;
}
