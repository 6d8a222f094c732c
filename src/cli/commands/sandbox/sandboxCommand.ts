import { Command, Option } from 'commander';
import { type DecisionOptions, withDecisionOptions } from '../../options/decisionOptions';
import { jsonOption } from '../../options/jsonOption';

export interface SandboxOptions extends DecisionOptions {
  json?: boolean;
  endpointUrl?: string;
  stateTable?: string;
  verbose: boolean;
  metrics?: boolean;
  deployment?: 'organization' | 'single-account';
}

export function sandboxCommand(): Command {
  return withDecisionOptions(
    new Command('sandbox')
      .description('What would Keystop do with these events? Runs them on a local AWS emulator, never a real account.')
      .argument('<event.json...>', 'EventBridge events, run in order in one sandbox')
      .addOption(jsonOption('lines', 'the report of each event'))
      .addOption(new Option('--endpoint-url <url>', 'use an emulator already running at this URL instead of starting one'))
      .addOption(new Option('--endpoint <url>', 'the same as --endpoint-url').hideHelp())
      .option('--state-table <name>', 'keep the state in this table of the emulator (created if missing), e.g. for `keystop incidents`')
      .addOption(new Option('--verbose', "print the responder's log lines").default(false))
      .option('--metrics', 'show the CloudWatch metrics each event produced (as the function writes them)')
      .addOption(
        new Option(
          '--deployment <kind>',
          "the deployment to play: an organisation (every account a member, or --member-accounts) or Keystop's default single account (default: organization; with --stage, the stage's)",
        ).choices(['organization', 'single-account']),
      ),
    { breaker: true },
  ).action(async (files: string[], options: SandboxOptions & { endpoint?: string }) =>
    (await import('./sandboxAction')).sandboxAction(files, { ...options, endpointUrl: options.endpointUrl ?? options.endpoint }),
  );
}
