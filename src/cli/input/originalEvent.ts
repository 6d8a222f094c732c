/**
 * The event itself, whichever way it reached the failure queue: Lambda's on-failure destination wraps it in a record
 * (`requestPayload`), the rule's dead-letter queue keeps it bare.
 */
export function originalEvent(message: unknown): unknown {
  const record = message as { requestContext?: unknown; requestPayload?: unknown } | undefined;
  return record?.requestContext !== undefined && record.requestPayload !== undefined ? record.requestPayload : message;
}
