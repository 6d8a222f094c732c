import type { IncidentResponse } from './IncidentResponse';

/**
 * Containment was attempted and did not complete for a reason that may pass (throttling, a 5xx, a time-out). The
 * failure alert has been sent already; the invocation fails so that Lambda retries it.
 */
export class ContainmentFailedError extends Error {
  override readonly name = 'ContainmentFailedError';
  constructor(
    readonly response: IncidentResponse,
    options?: { cause?: unknown },
  ) {
    super(
      `containment failed for incident ${response.incident?.id ?? 'unknown'}: ` +
        response.actions
          .filter((a) => a.status === 'failed')
          .map((a) => `${a.type} ${a.target}: ${a.reason}`)
          .join('; '),
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

/**
 * Another invocation holds the credential (its attempt's lease still runs) and did not finish while this one waited.
 * Never answered as a duplicate: the invocation fails, so that Lambda retries it after the lease, when it either
 * finds the work done or takes over the attempt of an invocation that died.
 */
export class CredentialBusyError extends Error {
  override readonly name = 'CredentialBusyError';
  constructor(
    readonly incidentId: string,
    readonly heldBy: string,
  ) {
    super(`incident ${incidentId}: another invocation (incident ${heldBy}) is responding to this credential; retry later`);
  }
}

/** A fact the decision needs could not be read (IAM throttled or failed): the invocation fails to be retried. */
export class FactsUnavailableError extends Error {
  override readonly name = 'FactsUnavailableError';
  constructor(
    readonly incidentId: string,
    readonly why: string,
  ) {
    super(`incident ${incidentId}: ${why}; retry later`);
  }
}

/**
 * Some incidents of an event were not completed. Every incident was handled on its own; this carries the responses
 * to all of them (completed and not) and the errors of the ones that were not, so the retry redoes only those.
 */
export class IncompleteResponseError extends Error {
  override readonly name = 'IncompleteResponseError';
  constructor(
    readonly responses: IncidentResponse[],
    readonly failures: unknown[],
  ) {
    super(`${failures.length} of ${responses.length} incident(s) not completed: ${failures.map(messageOf).join(' | ')}`, {
      cause: failures[0],
    });
  }
}

/** Whether responders were already told about this failure (an alert went out, or the work is someone else's). */
export function isAnnounced(error: unknown): boolean {
  return error instanceof ContainmentFailedError || error instanceof CredentialBusyError;
}

const MEMBER_ROLE_REFUSAL = Symbol('keystop.memberRoleRefusal');

/**
 * Marks an error of a call made with the member role (src/aws/clientsForAccounts.ts) and says so in its message:
 * an administrator of that account — possibly the attacker — can break the role, so its refusal is not final.
 */
export function markMemberRoleRefusal(error: unknown, roleArn: string): unknown {
  if (error instanceof Error && /^(AccessDenied|AccessDeniedException|UnauthorizedOperation)$/.test(error.name)) {
    Object.defineProperty(error, MEMBER_ROLE_REFUSAL, { value: true });
    error.message = `${roleArn} was refused (an administrator of that account may have changed the role or its boundary; retried): ${error.message}`;
  }
  return error;
}

/**
 * How a failed IAM call is treated: `gone` (the key or principal does not exist), `denied` (IAM refuses and will
 * keep refusing: an SCP, a boundary, a service-linked role), or `transient` (throttling, 5xx, time-outs: retried).
 * A refusal of the member role in a member account is retried, not final: whoever administers that account can cause
 * it, and Lambda's retries, then the failure queue and its alarm, keep it in front of responders.
 */
export function failureKindOf(error: unknown): 'gone' | 'denied' | 'transient' {
  const name = error instanceof Error ? error.name : '';
  if (name === 'NoSuchEntityException' || name === 'NoSuchEntity') return 'gone';
  if (error instanceof Error && MEMBER_ROLE_REFUSAL in error) return 'transient';
  if (
    /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|UnmodifiableEntity|LimitExceeded|MalformedPolicyDocument|InvalidInput)(Exception)?$/.test(
      name,
    )
  ) {
    return 'denied';
  }
  return 'transient';
}

/**
 * The message of any thrown value, for logs and alerts. The SDK appends to an answer it cannot parse a hint for
 * programmers ("Deserialization error: to see the raw response, inspect the hidden field {error}.$response…"): no
 * responder can act on it, so it is left out.
 */
export function messageOf(error: unknown): string {
  if (error instanceof Error)
    return `${error.name}: ${error.message.replace(/\s*Deserialization error: to see the raw response[^\n]*/g, '')}`;
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
