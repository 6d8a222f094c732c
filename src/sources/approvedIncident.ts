import type { CredentialIncident } from '../domain/CredentialIncident';

/**
 * An incident a responder approved containing: the same credential and id (one record, one thread of alerts), source
 * `approved`, so that the policy for approvals decides, under the same guardrails.
 */
export function approvedIncident(incident: CredentialIncident, by: string): CredentialIncident {
  return { ...incident, source: 'approved', title: `Approved by ${by}: ${incident.title}` };
}
