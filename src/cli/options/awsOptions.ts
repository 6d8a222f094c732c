import { type Command, Option } from 'commander';

/** The AWS CLI's habits, on every command that calls AWS. */
export interface AwsOptions {
  profile?: string;
  region?: string;
  endpointUrl?: string;
}

export function withAwsOptions(command: Command): Command {
  return command
    .addOption(new Option('--profile <name>', 'the named profile of your AWS config to use (default: $AWS_PROFILE)'))
    .addOption(new Option('--region <region>', "the AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION, then the profile's region)"))
    .addOption(new Option('--endpoint-url <url>', 'send AWS requests to this URL, e.g. a local emulator (default: $AWS_ENDPOINT_URL)'));
}
