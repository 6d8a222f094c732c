import type { IAMClient } from '@aws-sdk/client-iam';
import type { Creation } from '../domain/Creation';
import type { CredentialIncident } from '../domain/CredentialIncident';
import type { ActionEntry, ActionType } from './actionCatalog';

/** The SDK clients actions may use, already pointed at the account that owns the credential. */
export interface ActionClients {
  iam: IAMClient;
}

interface ActionContext {
  incident: CredentialIncident;
  /** The moment the response runs; session revocation denies tokens issued before it. */
  now: Date;
}

type ActionStatus = 'done' | 'skipped' | 'failed';

/** Steps that tell people and systems what happened; they change nothing about the credential. */
export const reportingSteps = ['notify', 'notify-activity', 'audit', 'update-finding'] as const;
type ReportingStep = (typeof reportingSteps)[number];

/**
 * A step about something the contained credential made (src/respond/incident/followCreations.ts): not a policy's
 * action (nobody asks for it by name), it follows from containing a long-term key.
 */
export const FOLLOW_STEP = 'follow-created';

export interface ActionResult {
  /** Containment steps, then the reporting steps: the alert, the follow-up with the key's activity, the audit
   * event and the Security Hub finding update. */
  type: ActionType | ReportingStep | typeof FOLLOW_STEP;
  status: ActionStatus;
  /** What the action touched or would touch: a key id, a user or role name, a topic. */
  target: string;
  /** For people: what happened, or why not. */
  reason: string;
  /** When the step finished (ISO 8601), for steps that ran: containment latency is measured to this moment. */
  at?: string;
  /** The keys a step changed when it changed several (deactivate-user-keys): a release undoes exactly those. */
  changedKeys?: string[];
  /** follow-created: what the contained credential made, that this step contained or lists (a release undoes it). */
  followed?: Creation;
}

/** A containment step: its catalog entry, and the SDK calls that touch only the credential in the incident. */
export interface ContainmentAction<T extends ActionType = ActionType> extends ActionEntry<T> {
  run(context: ActionContext, clients: ActionClients): Promise<Omit<ActionResult, 'type'>>;
}
