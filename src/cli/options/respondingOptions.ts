import { type Command, Option } from 'commander';
import { withAwsOptions } from './awsOptions';
import { withDecisionOptions } from './decisionOptions';
import { topicArnOption } from './stackOptions';

/** Options of the commands that respond in a real account with the caller's credentials (contain, replay). */
export function withRespondingOptions(command: Command): Command {
  withDecisionOptions(withAwsOptions(command));
  return command
    .addOption(topicArnOption())
    .option('--json', 'print the responses (and a printed alert) as one JSON object')
    .addOption(new Option('--verbose', 'print log lines').default(false));
}
