import { actionTypes } from '../actions/actionCatalog';
import { FOLLOW_STEP, reportingSteps } from '../actions/ContainmentAction';
import { ignoredReasons } from '../domain/AdaptedEvent';
import { Creation } from '../domain/Creation';
import type { CredentialIncident } from '../domain/CredentialIncident';
import { type AnsweredIncident, eventFailureReasons, outcomes, stateReasons } from '../domain/IncidentResponse';
import * as z from '../zod';
import { planReasons } from './planResponse';

/**
 * How strongly Keystop has responded to a credential: told nobody, told responders, contained it. Each report is
 * compared against the strongest level achieved so far; only a stronger one acts (see docs/state-machine.md).
 */
const responseLevels = ['none', 'alerted', 'contained'] as const;
export type ResponseLevel = (typeof responseLevels)[number];

export const isStronger = (level: ResponseLevel, than: ResponseLevel) => responseLevels.indexOf(level) > responseLevels.indexOf(than);
export const strongerOf = (a: ResponseLevel, b: ResponseLevel): ResponseLevel => (isStronger(a, b) ? a : b);

/** Records written by this version. A record of another version is read through `parseCredentialRecord`. */
export const CREDENTIAL_RECORD_VERSION = 1;

// Incidents are built by Keystop's own adapters before they are stored; their shape is checked where they are made.
const StoredIncident = z.custom<CredentialIncident>(
  (value) => typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string',
  'a stored incident must carry its id',
);

// Every word a response may carry, as zod enums: a record read back has the types it was written with.
const StoredActionType = z.enum([...actionTypes, ...reportingSteps, FOLLOW_STEP]);
const StoredReason = z.enum([...planReasons, ...stateReasons, ...ignoredReasons, ...eventFailureReasons]);

const StoredAction = z.object({
  type: StoredActionType,
  status: z.enum(['done', 'skipped', 'failed']),
  target: z.string(),
  reason: z.string(),
  at: z.optional(z.string()),
  /** deactivate-user-keys: which keys it deactivated, so that a release reactivates exactly those. */
  changedKeys: z.optional(z.array(z.string())),
  /** follow-created: what the contained credential made (so that a release undoes exactly what was done to it). */
  followed: z.optional(Creation),
});
export type StoredAction = z.infer<typeof StoredAction>;

/** A response as stored: enough to re-send its alert, list it (`keystop incidents`) and contain a held incident. */
export const StoredResponse = z.object({
  outcome: z.enum(outcomes),
  reason: StoredReason,
  explanation: z.string(),
  policy: z.optional(z.string()),
  actions: z.array(StoredAction),
  incident: StoredIncident,
  at: z.string(),
});
export type StoredResponse = z.infer<typeof StoredResponse>;

/** What Keystop remembers about one credential: the per-credential state machine's state. */
export const CredentialRecord = z.object({
  schemaVersion: z.literal(CREDENTIAL_RECORD_VERSION),
  key: z.string(),
  accountId: z.string(),
  /** The principal the breaker counts (all sessions of one role are one principal), when there is one. */
  principal: z.optional(z.string()),
  /** The strongest response achieved so far. */
  achieved: z.enum(responseLevels),
  /** The strongest level responders have been told about (an alert that was published). */
  alerted: z.enum(responseLevels),
  /** A containment this credential called for was held back by the open breaker; it is never a duplicate. */
  held: z.boolean(),
  /**
   * The latest report whose plan called for containment: later, weaker reports (a sample, an alert-only finding) are
   * held to it, so a held credential or a re-enabled key is contained on the next report of any kind.
   */
  demand: z.optional(StoredIncident),
  /** A response whose alert has not been published yet: whoever claims the credential next sends it first. */
  pendingAlert: z.optional(StoredResponse),
  /** The latest response that changed or told something. */
  last: z.optional(StoredResponse),
  /**
   * What Keystop did to the credential since it was last released: every containment step that was done, whichever
   * response did it (a first containment, a retry, a restore by the tamper guard, what the key made). A release undoes
   * exactly these, and the guard matches a change against them, whatever responses came after. Absent in records
   * written before it: the last response's done steps stand for it.
   */
  did: z.optional(z.array(StoredAction)),
  /**
   * Until when the tamper guard watches this credential: set when Keystop contains it (its latest containment plus the
   * guard window). A key set Active again, or Keystop's deny policy removed, before then is contained again.
   */
  guardUntil: z.optional(z.string()),
  /**
   * A responder undid the containment on purpose (`keystop release`, or a change by a responder principal): the guard
   * leaves it alone and the next report is new evidence.
   */
  released: z.optional(z.object({ by: z.string(), reason: z.string(), at: z.string() })),
  /**
   * For a credential whose sessions share one record (a user's console sessions): the latest cut-off Keystop's deny set
   * (aws:TokenIssueTime). A report of activity after it is by a session issued since, which the deny does not reach
   * (see activityAfterCutOff). A session named by its key has a record of its own, and so has the next one.
   */
  cutOffAt: z.optional(z.string()),
  /** The latest tamper report handled (its id): a redelivery of it is a duplicate. */
  lastTamper: z.optional(z.string()),
  /**
   * The guard's alerts, per kind of change: until when a later change of that kind is handled without an alert (one
   * TAMPERING alert per credential and kind per window, so a flood of changes cannot flood the responders' channel),
   * and how many were handled quietly since (counted in the next alert).
   */
  tamperAlerts: z.optional(z.record(z.string(), z.object({ until: z.string(), quiet: z.number() }))),
  firstSeenAt: z.string(),
  updatedAt: z.string(),
});
export type CredentialRecord = z.infer<typeof CredentialRecord>;

/** The record format before the state machine (claims with `state` in-progress/responded), still in tables after a deploy. */
const LegacyRecord = z.object({
  incidentId: z.string(),
  state: z.enum(['in-progress', 'responded']),
  alertSent: z._default(z.boolean(), false),
  response: z.optional(z.string()),
});

/**
 * Reads back a stored record: the current version as it is, a record from before the state machine mapped to the
 * state it stands for (a deploy inside the de-duplication window loses nothing), anything else is an error.
 */
export function parseCredentialRecord(
  key: string,
  stored: { doc?: string; legacy?: Record<string, unknown> },
  now: Date,
): CredentialRecord | undefined {
  if (stored.doc !== undefined) {
    const parsed = CredentialRecord.safeParse(JSON.parse(stored.doc));
    if (!parsed.success) throw new Error(`the state record ${key} does not parse: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  }
  const legacy = LegacyRecord.safeParse(stored.legacy ?? {});
  if (!legacy.success || legacy.data.state !== 'responded' || legacy.data.response === undefined) return undefined;
  const response = StoredResponse.safeParse({ at: now.toISOString(), ...JSON.parse(legacy.data.response) });
  if (!response.success) return undefined;
  const level: ResponseLevel = response.data.outcome === 'contained' ? 'contained' : 'alerted';
  return {
    schemaVersion: CREDENTIAL_RECORD_VERSION,
    key,
    accountId: response.data.incident.accountId,
    achieved: level,
    alerted: legacy.data.alertSent ? level : 'none',
    held: response.data.reason === 'breaker-open',
    ...(legacy.data.alertSent ? {} : { pendingAlert: response.data }),
    last: response.data,
    firstSeenAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

/** What Keystop did to the credential: the record's `did`, or for a record written before it, its last responses' done steps. */
export function stepsDone(record: CredentialRecord): StoredAction[] {
  if (record.did !== undefined) return record.did;
  return [record.last, record.pendingAlert].flatMap((response) => response?.actions.filter(isContainmentDone) ?? []);
}

/** A step that changed the credential (or what it made), not one that told someone. */
const isContainmentDone = (action: { type: string; status: string }) =>
  action.status === 'done' && !(reportingSteps as readonly string[]).includes(action.type);

/** The record's `did` with these results' done containment steps added. */
export function withDone(record: CredentialRecord, results: readonly StoredAction[]): StoredAction[] {
  // A step done again (a restore, a retry) is one thing to undo: the first record of it stays.
  const same = (a: StoredAction) => JSON.stringify([a.type, a.target, a.changedKeys ?? []]);
  const did = new Map(stepsDone(record).map((a) => [same(a), a]));
  for (const action of results.filter(isContainmentDone)) if (!did.has(same(action))) did.set(same(action), action);
  return [...did.values()];
}

/** The response as it is stored in the record. */
export function storedResponseOf(response: AnsweredIncident, at: Date): StoredResponse {
  return {
    outcome: response.outcome,
    reason: response.reason,
    explanation: response.explanation,
    ...(response.policy === undefined ? {} : { policy: response.policy }),
    actions: response.actions,
    incident: response.incident,
    at: at.toISOString(),
  };
}
