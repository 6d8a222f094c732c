import type { IncidentResponse } from './IncidentResponse';

/**
 * Containment was attempted and did not complete. The failure alert has been sent already; the invocation fails so
 * that Lambda retries it and, in the end, the event reaches the on-failure destination intact.
 */
export class ContainmentFailedError extends Error {
  override readonly name = 'ContainmentFailedError';
  constructor(
    readonly response: IncidentResponse,
    options?: { cause?: unknown },
  ) {
    super(
      `containment failed for incident ${response.incident?.id ?? 'unknown'}: ` +
        response.actions.filter((a) => a.status === 'failed').map((a) => `${a.type} ${a.target}: ${a.reason}`).join('; '),
      options,
    );
  }
}

/** The response was carried out but responders could not be told. Thrown so that the event is retried. */
export class NotificationFailedError extends Error {
  override readonly name = 'NotificationFailedError';
  constructor(
    readonly response: IncidentResponse,
    options?: { cause?: unknown },
  ) {
    super(`could not send the alert for incident ${response.incident?.id ?? 'unknown'} (outcome ${response.outcome})`, options);
  }
}

/** The message of any thrown value, for logs and alerts. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** The event does not have the shape its source promises. No action is taken; it goes to the failure destination. */
export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
  constructor(
    readonly source: string,
    readonly problems: string,
    options?: { cause?: unknown },
  ) {
    super(`malformed ${source} event, no action taken: ${problems}`, options);
  }
}
