import type { ActionResult } from './actions/ContainmentAction';
import type { CredentialIncident } from './events/CredentialIncident';

export type Outcome = 'contained' | 'notified' | 'ignored' | 'duplicate' | 'failed';

/** What Keystop did about one incident (or one event that carried none): the record alerts and reports are made from. */
export interface IncidentResponse {
  outcome: Outcome;
  /** The plan's reason (`matched`, `sample-finding`, …), the ignored reason, or `containment-failed`. */
  reason: string;
  /** A sentence for people: why the outcome is what it is. */
  explanation: string;
  incident: CredentialIncident | null;
  /** The response policy that decided, if any. */
  policy: string | undefined;
  /** Containment steps, then the notification, each with its status. */
  actions: ActionResult[];
}
