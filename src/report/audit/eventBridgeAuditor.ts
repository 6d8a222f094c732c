import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { AuditDetail } from './AuditEvent';
import { AUDIT_DETAIL_TYPE, AUDIT_SOURCE } from './auditSchema';

/** Records responses somewhere durable for SIEM and ticketing. */
export interface Auditor {
  /** Where audit events go, as shown in reports (an event bus name or ARN). */
  destination: string;
  record(detail: AuditDetail): Promise<void>;
}

/** Publishes each response to an EventBridge bus (source `keystop`, detail-type `Keystop Incident Response`). */
export function eventBridgeAuditor(eventsClient: () => Promise<EventBridgeClient>, busName: string): Auditor {
  return {
    destination: busName,
    async record(detail) {
      // Imported here, not at the top: the module stays out of the bundle and out of cold start (see createClients).
      const { PutEventsCommand } = await import('@aws-sdk/client-eventbridge');
      const { FailedEntryCount, Entries } = await (await eventsClient()).send(
        new PutEventsCommand({
          Entries: [{ EventBusName: busName, Source: AUDIT_SOURCE, DetailType: AUDIT_DETAIL_TYPE, Detail: JSON.stringify(detail) }],
        }),
      );
      // PutEvents answers 200 even when it refused the entry: the failure is in the entry.
      if (FailedEntryCount) {
        const [entry] = Entries ?? [];
        throw new Error(`EventBridge refused the audit event: ${entry?.ErrorCode ?? 'unknown'} ${entry?.ErrorMessage ?? ''}`.trim());
      }
    },
  };
}
