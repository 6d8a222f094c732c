import { IAMClient, NoSuchEntityException } from '@aws-sdk/client-iam';
import { type CredentialIncident, severityLabelOf } from '../../../domain/CredentialIncident';
import { readKeyOwner } from '../../../facts/readAccessKey';
import { approveIncident } from '../../../respond/approveIncident';
import { respondToIncidents } from '../../../respond/respond';
import { cliDeps, topicArnOf } from '../../operator/cliDeps';
import { compareWithDeployment } from '../../operator/compareDeployed';
import { operatorStore } from '../../operator/operatorStore';
import { recordingStore } from '../../operator/recordingStore';
import { reportResponses } from '../../operator/reportResponses';
import { resolveAws } from '../../operator/resolveAws';
import { announceSettings } from '../../settings/announceSettings';
import { decisionSettings } from '../../settings/decisionSettings';
import { UsageError } from '../../UsageError';
import type { ContainOptions } from './containCommand';
import { reportedCredential } from './reportedCredential';

/** `keystop contain`: everything the command line says is checked before the first AWS call. */
export async function containAction(options: ContainOptions): Promise<void> {
  if ((options.incident === undefined) === (options.accessKey === undefined)) {
    throw new UsageError('name either --access-key (report a key) or --incident (approve an incident Keystop alerted on)');
  }
  if (options.incident !== undefined) return approveAction(options.incident, options);
  const credential = reportedCredential({ ...options, accessKey: options.accessKey! });
  topicArnOf(options);
  const settings = await decisionSettings(options);
  announceSettings(settings, options);
  await compareWithDeployment(options, settings);
  const { deps, accountId, region, printedAlerts } = await cliDeps(options, settings);
  if (credential.kind === 'long-term-key') await ensureIamKnows(credential.accessKeyId, accountId, options);
  const now = deps.now().toISOString();
  const incident: CredentialIncident = {
    id: `manual:${accountId}:${options.accessKey!}:${now}`,
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
  // A responder's explicit decision: recorded when the stage's table exists, never counted against the breaker.
  const recording = await recordingStore(options);
  await reportResponses(
    () =>
      recording
        ? recording.onTable(() => respondToIncidents([incident], { ...deps, state: recording.store }, { bypassBreaker: true }))
        : respondToIncidents([incident], deps),
    { json: options.json, printedAlerts },
  );
}

/**
 * A long-term key IAM does not know (a typo, a deleted key, another account's key) is an error before anything is done:
 * reporting it as GONE and alerting the team would page people about nothing.
 */
async function ensureIamKnows(accessKeyId: string, accountId: string, options: ContainOptions): Promise<void> {
  const owner = await readKeyOwner(new IAMClient(await resolveAws(options)), accessKeyId).catch((error: unknown) => {
    if (error instanceof NoSuchEntityException) return undefined;
    throw error;
  });
  if (owner === undefined) {
    throw new Error(
      `IAM does not know access key ${accessKeyId} in account ${accountId}: nothing was contained and nobody was alerted (a typo, a deleted key, or another account's key: use that account's credentials)`,
    );
  }
}

/** `keystop contain --incident`: the stored incident, approved by the caller, through the state machine. */
async function approveAction(incidentId: string, options: ContainOptions): Promise<void> {
  topicArnOf(options);
  const settings = await decisionSettings(options);
  announceSettings(settings, options);
  const { store, accountId, onTable } = await operatorStore(options);
  await compareWithDeployment(options, settings);
  const { deps, printedAlerts } = await cliDeps(options, settings);
  await reportResponses(() => onTable(() => approveIncident(incidentId, accountId, { ...deps, state: store })), {
    json: options.json,
    printedAlerts,
  });
}
