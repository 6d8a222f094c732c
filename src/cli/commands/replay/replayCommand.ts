import { Command } from 'commander';
import type { CliAwsOptions } from '../../operator/cliDeps';
import type { DecisionOptions } from '../../options/decisionOptions';
import { jsonOption } from '../../options/jsonOption';
import { withRespondingOptions } from '../../options/respondingOptions';

export type ReplayOptions = CliAwsOptions & DecisionOptions;

export function replayCommand(): Command {
  return withRespondingOptions(
    new Command('replay')
      .description('Run an event through the real pipeline against the AWS account of your credentials.')
      .argument('<event.json>', 'an EventBridge event, e.g. one taken from the failure queue'),
    // A file may hold several events: one {"responses", "alerts"} object per event, as each is replayed.
    jsonOption('lines', 'the responses (and printed alerts) of each event'),
  ).action(async (file: string, options: ReplayOptions) => (await import('./replayAction')).replayAction(file, options));
}
