import type { IncidentResponse } from '../domain/IncidentResponse';
import { approvedIncident } from '../sources/approvedIncident';
import type { StatefulDeps } from './Deps';
import { respondToIncidents } from './respond';

/**
 * A responder approves containing an incident Keystop only alerted on. The incident, as stored, is reported again with
 * source `approved`: the same planner and guardrails decide (the policy for `approved`; exemptions, Keystop's own roles,
 * samples never), and the state machine answers a credential already contained, gone or exempt without changing it.
 */
export async function approveIncident(incidentId: string, accountId: string, deps: StatefulDeps): Promise<IncidentResponse[]> {
  const records = await deps.state.watched(deps.now());
  const record = records.find((r) => r.accountId === accountId && (r.last?.incident.id === incidentId || r.demand?.id === incidentId));
  const stored = record?.last?.incident.id === incidentId ? record.last.incident : record?.demand;
  if (stored === undefined) {
    throw new Error(
      `no incident ${incidentId} in account ${accountId} within the state table's window: contain the key by name with --access-key`,
    );
  }
  return respondToIncidents([approvedIncident(stored, 'a responder (keystop contain --incident)')], deps);
}
