import type { ActionResult } from '../../actions/ContainmentAction';
import type { AnsweredIncident } from '../../domain/IncidentResponse';
import type { ActivityReport } from '../activity/ActivityReport';
import { alertDocumentOf } from '../document/alertDocumentOf';
import type { AuditDetail } from './AuditEvent';
import { AUDIT_SCHEMA, AUDIT_SCHEMA_VERSION } from './auditSchema';

/** Pure: the audit record of a response, with every step taken (`actions`) and what the key did. */
export function auditDetailOf(
  response: AnsweredIncident,
  actions: ActionResult[],
  activity: ActivityReport,
  respondedAt: Date,
): AuditDetail {
  const document = alertDocumentOf({ ...response, actions }, activity);
  return {
    schema: AUDIT_SCHEMA,
    version: AUDIT_SCHEMA_VERSION,
    respondedAt: respondedAt.toISOString(),
    incidentId: document.incident!.id,
    outcome: document.response.outcome,
    reason: document.response.reason,
    explanation: document.response.explanation,
    policy: document.response.policy,
    incident: document.incident!,
    credential: document.credential!,
    attacker: document.attacker,
    actions: document.response.actions,
    activity: document.activity!,
  };
}
