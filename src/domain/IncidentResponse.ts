import type { ActionResult } from '../actions/ContainmentAction';
import type { PlanReason } from '../decide/planResponse';
import type { IgnoredReason } from './AdaptedEvent';
import type { CredentialIncident } from './CredentialIncident';

/** The one list of outcomes: alerts, audit events, the sandbox and the state table all use these words. */
export const outcomes = ['contained', 'notified', 'ignored', 'duplicate', 'failed', 'gone'] as const;
export type Outcome = (typeof outcomes)[number];

/**
 * Why a response is what it is, beyond the plan's own reason (see docs/state-machine.md):
 * - `escalated`: an earlier, weaker report was only alerted on (or held); this one calls for containment, so it acted.
 * - `key-re-enabled`: the key had been contained and was found Active again: contained again.
 * - `session-after-cutoff`: Keystop had denied the credential's sessions, and a report shows activity after the
 *   cut-off: a session issued since (whatever mints sessions is in the attacker's hands too): the cut-off moves to now.
 * - `already-inactive`: the plan called for deactivation and the key was already Inactive: nothing written.
 * - `credential-gone`: the key or principal no longer exists: nothing left to contain.
 * - `access-denied`: IAM refused (an SCP, a permission boundary, a service-linked role): a human must act.
 * - `containment-failed`: a transient failure (throttling, 5xx, time-out): the event is retried.
 * - `duplicate-report`: the credential was already handled at least as strongly; no action, no alert.
 * - `still-held`: the breaker still holds this credential's containment; responders were told already.
 * - `tampered`: someone other than a responder undid (or routed around) a containment Keystop made within the guard
 *   window: contained again, or alerted when nothing can be undone (a new key, a console password).
 * - `responder-change`: a responder principal undid a containment: recorded as released, not undone.
 * - `released`: a responder undid the containment with `keystop release` (who and why are in the record and alert).
 * - `approval-refused`: an approval (Security Hub's custom action, `keystop contain --incident`) of an incident Keystop
 *   never asked anyone to approve (not its latest alert-only response awaiting a decision): nothing changed, alerted.
 * - `not-guarded`: a change the tamper guard watches, about a credential Keystop did not contain (or released, or
 *   contained longer ago than the guard window): nothing to do.
 */
export const stateReasons = [
  'escalated',
  'key-re-enabled',
  'session-after-cutoff',
  'already-inactive',
  'credential-gone',
  'access-denied',
  'containment-failed',
  'duplicate-report',
  'still-held',
  'tampered',
  'responder-change',
  'not-guarded',
  'approval-refused',
  'released',
] as const;
type StateReason = (typeof stateReasons)[number];

/** Failures before any incident is known (the sandbox and CLI report them in the same shape). */
export const eventFailureReasons = ['malformed-event', 'error'] as const;
type EventFailureReason = (typeof eventFailureReasons)[number];

export type ResponseReason = PlanReason | StateReason | IgnoredReason | EventFailureReason;

/** What Keystop did about one incident (or one event that carried none): the record alerts and reports are made from. */
export interface IncidentResponse {
  outcome: Outcome;
  reason: ResponseReason;
  /** A sentence for people: why the outcome is what it is. */
  explanation: string;
  incident: CredentialIncident | null;
  /** The response policy that decided, if any. */
  policy: string | undefined;
  /** Containment steps, then the notification, each with its status. */
  actions: ActionResult[];
}

/** A response to an incident (not to an event that carried none). */
export type AnsweredIncident = IncidentResponse & { incident: CredentialIncident };
