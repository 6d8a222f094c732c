import { type CredentialIncident, severityLabelOf } from '../../../domain/CredentialIncident';
import { approveIncident } from '../../../respond/approveIncident';
import { respond } from '../../../respond/respond';
import { cliDeps, topicArnOf } from '../../operator/cliDeps';
import { compareWithDeployment } from '../../operator/compareDeployed';
import { operatorStore } from '../../operator/operatorStore';
import { reportResponses } from '../../operator/reportResponses';
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
  await reportResponses(() => respond({ kind: 'incidents', incidents: [incident] }, deps), { json: options.json, printedAlerts });
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
