import * as z from '../../zod';
import { ActivityReport } from '../activity/ActivityReport';
import { AlertDocument } from '../document/AlertDocument';
import { AUDIT_SCHEMA, AUDIT_SCHEMA_VERSION } from './auditSchema';

/**
 * The `detail` of an audit event: one per response to an incident, after every step (containment, alert, finding
 * note, activity lookup), for SIEM and ticketing. The incident, credential and attacker parts are the alert
 * document's, sanitized the same way. Within a major version fields are only added.
 */
export const AuditDetail = z.object({
  schema: z.literal(AUDIT_SCHEMA),
  version: z.literal(AUDIT_SCHEMA_VERSION),
  /** When Keystop finished responding (ISO 8601). */
  respondedAt: z.string(),
  incidentId: z.string(),
  outcome: AlertDocument.shape.response.shape.outcome,
  reason: z.string(),
  explanation: z.string(),
  policy: z.nullable(z.string()),
  incident: AlertDocument.shape.incident.def.innerType,
  credential: AlertDocument.shape.credential.def.innerType,
  attacker: AlertDocument.shape.attacker,
  /** Containment steps, then the alert, the follow-up alert and the finding update, each with its status. */
  actions: AlertDocument.shape.response.shape.actions,
  activity: ActivityReport,
});
export type AuditDetail = z.infer<typeof AuditDetail>;
