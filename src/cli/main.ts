import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { defaultGuardrails } from '../policies/Guardrails';
import { formatSandboxReport } from './formatSandboxReport';
import { breakerCommand } from './breakerCommand';
import { configCommand } from './configCommand';
import { policiesCommand } from './policiesCommand';
import { readEvents } from './readEvents';
import { containCommand, replayCommand } from './respondCommands';
import { runSandbox } from './runSandbox';
import { selftestCommand } from './selftestCommand';
import { UsageError } from './UsageError';
import { sourceSettingsFromEnv } from './sourceSettingsFromEnv';

const examplesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples');
export const demoExamples = [
  'guardduty-tor-ip-caller.json',
  'guardduty-sample-finding.json',
  'guardduty-ec2-finding.json',
  // Not securityhub-guardduty-tor-ip-caller.json: the same finding as the first one, seen through Security Hub.
  'health-credentials-exposed.json',
  'cloudtrail-honey-key-used.json',
];
/** The bait key cloudtrail-honey-key-used.json was made with: the demo configures it as a honey key. */
export const demoHoneyKeys = ['AKIAHONEYBAITKEY0001'];

export function buildProgram(): Command {
  const program = new Command('keystop')
    .description('Contain leaked AWS credentials: deactivate exactly the compromised key and alert responders.')
    .showHelpAfterError();

  program
    .command('sandbox')
    .description('What would Keystop do with these events? Runs them on a local AWS emulator, never a real account.')
    .argument('<event.json...>', 'EventBridge events, run in order in one sandbox')
    .option('--json', 'print one JSON object per event, one per line')
    .option('--endpoint <url>', 'use an emulator already running at this URL instead of starting one')
    .option('--dry-run', 'run with the global dry-run switch on')
    .addOption(new Option('--verbose', "print the responder's log lines").default(false))
    .addOption(
      new Option('--honey-keys <ids>', 'comma-separated honey key ids, as the events name them').env('KEYSTOP_HONEY_KEYS'),
    )
    .action(async (files: string[], options: { json?: boolean; endpoint?: string; dryRun?: boolean; verbose: boolean; honeyKeys?: string }) => {
      const reports = await runSandbox(await readEvents(files), {
        endpoint: options.endpoint,
        verbose: options.verbose,
        sourceSettings: sourceSettingsFromEnv({ KEYSTOP_HONEY_KEYS: options.honeyKeys }),
        guardrails: { ...defaultGuardrails, dryRun: options.dryRun ?? false },
      });
      for (const report of reports) {
        process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatSandboxReport(report)}\n\n`);
      }
    });

  program
    .command('demo')
    .description('Run the sandbox on bundled example findings and explain what happens.')
    .action(async () => {
      const events = await readEvents(demoExamples.map((file) => join(examplesDir, file)));
      process.stdout.write(
        'Keystop demo: three GuardDuty findings, an AWS Health exposure notice and a honey key used (CloudTrail), on a\n' +
          'local AWS emulator (moto server). For each event the sandbox creates the IAM user it names with two active\n' +
          'keys: one stands in for the leaked key, the other is a decoy that Keystop must leave alone. Alerts are read\n' +
          'back from an SQS queue subscribed to the alert topic.\n\n',
      );
      const reports = await runSandbox(events, { sourceSettings: { honeyKeys: demoHoneyKeys } });
      for (const report of reports) process.stdout.write(`${formatSandboxReport(report)}\n\n`);
    });

  program.addCommand(containCommand());
  program.addCommand(replayCommand());
  program.addCommand(policiesCommand());
  program.addCommand(breakerCommand());
  program.addCommand(selftestCommand());
  program.addCommand(configCommand());

  return program;
}

await buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`keystop: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  });
