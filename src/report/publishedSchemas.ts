import * as z from '../zod';
import { AuditDetail } from './audit/AuditEvent';
import { AlertDocument } from './document/AlertDocument';

/** The JSON Schemas docs/ publishes, by file name, generated from the zod schemas the code itself uses. */
export function publishedSchemas(): Record<string, unknown> {
  return {
    'alert-schema.json': z.toJSONSchema(AlertDocument, { io: 'output' }),
    'audit-event.schema.json': z.toJSONSchema(AuditDetail, { io: 'output' }),
  };
}
