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

/** `keystop incidents`: what Keystop did, from the deployment's state table (like `custodian report`). */
export function incidentsCommand(): Command {
  return withAwsOptions(
    new Command('incidents')
      .description("What Keystop did, newest first: each credential's latest response, from the deployment's state table.")
      .option('--since <age>', 'only credentials whose record changed within this age: 30m, 24h, 7d', '24h')
      .option('--account <id>', "only this account's credentials")
      .option('--outcome <list>', `only these outcomes, comma-separated: ${outcomes.join(', ')}`)
      .option('--stage <stage>', 'the deployed stage, naming the table keystop-state-<stage>', 'prod')
      .option('--table <name>', 'the state table (default: $KEYSTOP_STATE_TABLE or keystop-state-<stage>)')
      .option('--json', 'print one JSON object per credential, one per line'),
  ).action(async (options: IncidentsOptions) => (await import('./incidentsAction')).incidentsAction(options));
}
