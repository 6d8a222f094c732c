import { resolve } from 'node:path';
import { Command } from 'commander';
import { jsonOption } from '../../options/jsonOption';
import { packageRoot } from '../../packageRoot';

export interface ConfigCheckOptions {
  stage: string;
  param: string[];
  config: string;
  json?: boolean;
}

/** `keystop config check`: the package-time check of a stage's params and policy file, without packaging. */
export function configCommand(): Command {
  const command = new Command('config').description("Check a deployment's settings before deploying (no AWS call).");
  command
    .command('check')
    .description('Check the params a stage deploys with and its policy file, as `osls package` does (docs/settings.md).')
    .option('--stage <stage>', 'the stage whose params: <stage>: block applies', 'prod')
    .option(
      '--param <key=value>',
      'a param as osls takes it; repeatable',
      (value: string, all: string[]) => [...all, value],
      [] as string[],
    )
    .option('--config <file>', 'the serverless.yml', resolve(packageRoot(), 'serverless.yml'))
    .addOption(jsonOption('document', '{"ok", "problems", "policiesFile", "policies"}'))
    .action(async (options: ConfigCheckOptions) => (await import('./configCheckAction')).configCheckAction(options));
  return command;
}
