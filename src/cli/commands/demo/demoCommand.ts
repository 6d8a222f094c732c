import { Command, Option } from 'commander';
import { type DecisionOptions, withDecisionOptions } from '../../options/decisionOptions';
import { jsonOption } from '../../options/jsonOption';

export interface DemoOptions extends DecisionOptions {
  verbose: boolean;
  json?: boolean;
  endpointUrl?: string;
}

export function demoCommand(): Command {
  return withDecisionOptions(
    new Command('demo')
      .description('Run the sandbox on bundled example findings and explain what happens.')
      .addOption(jsonOption('lines', 'the sandbox report of each event'))
      .option('--endpoint-url <url>', 'use an emulator already running at this URL instead of starting one')
      .addOption(new Option('--verbose', 'print each alert in full').default(false)),
    { breaker: true },
  ).action(async (options: DemoOptions) => (await import('./demoAction')).demoAction(options));
}
