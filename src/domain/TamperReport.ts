/**
 * A change to IAM that may undo or route around a containment Keystop made: not a compromise report, but a
 * report about a credential Keystop already contained (the tamper guard, docs/state-machine.md). The adapter does not
 * know whether Keystop contained anything there; respond() looks that up in the state table.
 */
const tamperChanges = ['key-re-enabled', 'deny-policy-removed', 'access-key-created', 'login-profile-changed'] as const;
export type TamperChange = (typeof tamperChanges)[number];

export interface TamperReport {
  /** `tamper:<account>:<CloudTrail event id>`: stable across redeliveries. */
  id: string;
  change: TamperChange;
  accountId: string;
  region: string;
  observedAt: string;
  /** The user or role the change is about. */
  principal: { kind: 'user' | 'role'; name: string };
  /** The key set Active again (key-re-enabled), or the key just created (access-key-created). */
  accessKeyId?: string;
  /** The API call, e.g. `UpdateAccessKey`, `DeleteRolePolicy`. */
  api: string;
  /** Who made the change, as CloudTrail names the caller (an ARN where it has one). */
  actor: string;
  sourceIp?: string;
  /**
   * The change was made by a principal listed as a responder (`KEYSTOP_RESPONDERS`): a sanctioned act, recorded and
   * never undone.
   */
  byResponder: boolean;
  eventId: string;
}
