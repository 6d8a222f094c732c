import { join } from 'node:path';
import { formatDemo } from '../../format/formatDemo';
import { readEvents } from '../../input/readEvents';
import { packageRoot } from '../../packageRoot';
import { runSandbox } from '../../sandbox/runSandbox';
import { announceSettings } from '../../settings/announceSettings';
import { decisionSettings } from '../../settings/decisionSettings';
import type { DemoOptions } from './demoCommand';

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

/** `keystop demo`: the example findings through the sandbox, with the deployment settings given (or the defaults). */
export async function demoAction(options: DemoOptions): Promise<void> {
  const settings = await decisionSettings(options);
  announceSettings(settings, options);
  const events = await readEvents(demoExamples.map((file) => join(packageRoot(), 'examples', file)));
  if (!options.json) {
    process.stdout.write(
      'Keystop demo: three GuardDuty findings, an AWS Health exposure notice and a honey key used (CloudTrail), on a\n' +
        'local AWS emulator (moto server). For each event the sandbox creates the IAM user it names with two active\n' +
        'keys: one stands in for the leaked key, the other is a decoy that Keystop must leave alone. Alerts are read\n' +
        'back from an SQS queue subscribed to the alert topic.\n\n',
    );
  }
  const reports = await runSandbox(events, {
    endpoint: options.endpointUrl,
    sourceSettings: { honeyKeys: [...demoHoneyKeys, ...settings.sourceSettings.honeyKeys] },
    policies: settings.policies,
    breaker: settings.breaker,
    guardrails: settings.guardrails,
  });
  process.stdout.write(
    options.json ? reports.map((r) => `${JSON.stringify(r)}\n`).join('') : formatDemo(reports, { verbose: options.verbose }),
  );
  if (reports.some((r) => r.outcome === 'failed')) process.exitCode = 1;
}
