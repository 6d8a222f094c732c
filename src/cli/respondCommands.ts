import { Command, Option } from 'commander';
import { IncompleteResponseError } from '../errors';
import { severityLabelOf, type CredentialIncident } from '../events/CredentialIncident';
import { eventSourceFor } from '../events/eventSources';
import { makeHandler } from '../handlers/makeHandler';
import type { IncidentResponse } from '../IncidentResponse';
import { respond } from '../respond';
import { cliDeps } from './cliDeps';
import { formatResponses } from './formatResponses';
import { lambdaContext } from './lambdaContext';
import { readEvents, unrecognizedEvent } from './readEvents';
import { reportedCredential } from './reportedCredential';
import { sourceSettingsFromEnv } from './sourceSettingsFromEnv';

const awsOptions = (command: Command) =>
  command
    .option('--topic-arn <arn>', 'alert topic (default: $KEYSTOP_ALERT_TOPIC_ARN; without one the alert is printed)')
    .option('--region <region>', 'AWS region for SNS (default: $AWS_REGION or us-east-1)')
    .option('--dry-run', 'report what would be done, change nothing')
    .addOption(new Option('--verbose', 'print log lines').default(false));

/** Prints the responses; a failed containment sets the exit code, so scripts notice. */
async function report(run: () => Promise<IncidentResponse[]>): Promise<void> {
  try {
    process.stdout.write(`${formatResponses(await run())}\n`);
  } catch (error) {
    if (!(error instanceof IncompleteResponseError)) throw error;
    process.stdout.write(`${formatResponses(error.responses)}\n`);
    throw new Error(error.message);
  }
}

export function containCommand(): Command {
  return awsOptions(
    new Command('contain')
      .description('Contain a key a human reported: the same actions and alert as an automatic response, with your AWS credentials.')
      .requiredOption('--access-key <id>', 'the access key id (AKIA… long-term, ASIA… temporary)')
      .option('--user <name>', "the key's IAM user (looked up in IAM when omitted for an AKIA key)")
      .option('--role <name>', 'for an ASIA key of a role session: the role')
      .option('--reason <text>', 'why, for the alert and the audit trail', 'reported by a responder'),
  ).action(async (options: { accessKey: string; user?: string; role?: string; reason: string; topicArn?: string; region?: string; dryRun?: boolean; verbose: boolean }) => {
    const credential = reportedCredential(options);
    const { deps, accountId, region } = await cliDeps(options);
    const now = new Date().toISOString();
    const incident: CredentialIncident = {
      id: `manual:${accountId}:${options.accessKey}:${now}`,
      source: 'manual',
      type: 'Manual:CredentialReportedCompromised',
      severity: 8,
      severityLabel: severityLabelOf(8),
      accountId,
      region,
      observedAt: now,
      credential,
      sample: false,
      backupDelivery: false,
      title: options.reason,
      evidence: { description: options.reason },
      origin: { findingId: `manual-${now}`, eventId: `manual-${now}` },
    };
    await report(() => respond({ kind: 'incidents', incidents: [incident] }, deps));
  });
}

export function replayCommand(): Command {
  return awsOptions(
    new Command('replay')
      .description('Run an event through the real pipeline against the AWS account of your credentials.')
      .argument('<event.json>', 'an EventBridge event, e.g. one taken from the failure queue'),
  ).action(async (file: string, options: { topicArn?: string; region?: string; dryRun?: boolean; verbose: boolean }) => {
    const [named] = await readEvents([file]);
    const event = originalEvent(named?.event);
    const source = eventSourceFor(event, sourceSettingsFromEnv());
    if (source === undefined) throw new Error(`cannot replay ${file}: ${unrecognizedEvent(event)}`);
    const { deps } = await cliDeps(options);
    await report(() => makeHandler(source, deps)(event, lambdaContext('keystop-replay')));
  });
}

/**
 * The event itself, whichever way it reached the failure queue: Lambda's on-failure destination wraps it in a record
 * (`requestPayload`), the rule's dead-letter queue keeps it bare.
 */
export function originalEvent(message: unknown): unknown {
  const record = message as { requestContext?: unknown; requestPayload?: unknown } | undefined;
  return record?.requestContext !== undefined && record.requestPayload !== undefined ? record.requestPayload : message;
}
