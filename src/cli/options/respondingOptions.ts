import { type Command, Option } from 'commander';
import { withAwsOptions } from './awsOptions';
import { withDecisionOptions } from './decisionOptions';
import { topicArnOption } from './stackOptions';

/** Options of the commands that respond in a real account with the caller's credentials (contain, replay); `json` states the command's --json. */
export function withRespondingOptions(command: Command, json: Option): Command {
  withDecisionOptions(withAwsOptions(command));
  return command.addOption(topicArnOption()).addOption(json).addOption(new Option('--verbose', 'print log lines').default(false));
}
