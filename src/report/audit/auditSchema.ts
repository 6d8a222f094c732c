/**
 * EventBridge `source`, `detail-type`, schema name and version of Keystop's audit events (docs/audit-event.md). Apart
 * from the zod schema (AuditEvent.ts) so that the auditor every function bundles does not build it at cold start.
 */
export const AUDIT_SOURCE = 'keystop';
export const AUDIT_DETAIL_TYPE = 'Keystop Incident Response';
export const AUDIT_SCHEMA = 'keystop.audit';
export const AUDIT_SCHEMA_VERSION = '1.1';
