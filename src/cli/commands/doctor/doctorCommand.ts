import { Command } from 'commander';
import { type AwsOptions, withAwsOptions } from '../../options/awsOptions';
import { jsonOption } from '../../options/jsonOption';

export interface DoctorOptions extends AwsOptions {
  principal?: string;
  stage?: string;
  json?: boolean;
}

/** `keystop doctor`: checks of what Keystop's safety depends on in the account, with your credentials. */
export function doctorCommand(): Command {
  return withAwsOptions(
    new Command('doctor')
      .description('Check what Keystop relies on: whether the exemption tag can be set by your principal (or --principal).')
      .option('--principal <arn>', 'the IAM user or role ARN to check (default: the one your credentials belong to)')
      .option('--stage <stage>', "also compare the stage's settings (keystop.settings.yml) with what its deployed functions run with")
      .addOption(jsonOption('lines', 'each check')),
  ).action(async (options: DoctorOptions) => (await import('./doctorAction')).doctorAction(options));
}
