import { severityLabelOf, type CredentialIncident } from '../events/CredentialIncident';
import { respond } from '../respond';
import { cliDeps, topicArnOf } from './cliDeps';
import type { ContainOptions } from './containCommand';
import { decisionSettings } from './decisionSettings';
import { reportedCredential } from './reportedCredential';
import { reportResponses } from './reportResponses';

/** `keystop contain`: everything the command line says is checked before the first AWS call. */
export async function containAction(options: ContainOptions): Promise<void> {
  const credential = reportedCredential(options);
  topicArnOf(options);
  const settings = await decisionSettings(options);
  const { deps, accountId, region, printedAlerts } = await cliDeps(options, settings);
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
  await reportResponses(() => respond({ kind: 'incidents', incidents: [incident] }, deps), { json: options.json, printedAlerts });
}
