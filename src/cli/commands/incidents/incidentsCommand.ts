import { Command } from 'commander';
import { outcomes } from '../../../domain/IncidentResponse';
import { withAwsOptions } from '../../options/awsOptions';
import { accountOption, type StackOptions, withStateTableOptions } from '../../options/stackOptions';

export interface IncidentsOptions extends StackOptions {
  since: string;
  outcome?: string;
  json?: boolean;
}

/** `keystop incidents`: what Keystop did, from the deployment's state table (like `custodian report`). */
export function incidentsCommand(): Command {
  const command = new Command('incidents')
    .description("What Keystop did, newest first: each credential's latest response, from the deployment's state table.")
    .option('--since <age>', 'only credentials whose record changed within this age: 30m, 24h, 7d', '24h')
    .addOption(accountOption("only this account's credentials"))
    .option('--outcome <list>', `only these outcomes, comma-separated: ${outcomes.join(', ')}`);
  withStateTableOptions(command).option('--json', 'print one JSON object per credential, one per line');
  return withAwsOptions(command).action(async (options: IncidentsOptions) => (await import('./incidentsAction')).incidentsAction(options));
}
