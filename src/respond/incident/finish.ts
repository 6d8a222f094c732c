import {
  CREDENTIAL_RECORD_VERSION,
  type CredentialRecord,
  type ResponseLevel,
  storedResponseOf,
  strongerOf,
  withDone,
} from '../../decide/CredentialRecord';
import type { ResponsePlan } from '../../decide/planResponse';
import type { CredentialIncident } from '../../domain/CredentialIncident';
import { ContainmentFailedError, NotificationFailedError } from '../../domain/errors';
import type { AnsweredIncident, IncidentResponse } from '../../domain/IncidentResponse';
import { sessionsShareRecord } from '../../domain/identifiers';
import type { LiveFacts } from '../../facts/gatherFacts';
import { REMEMBERED_FOR_MS } from '../../stores/recentlyContained';
import type { TakenSlot } from '../../stores/StateStore';
import type { Deps } from '../Deps';
import { appendStory } from '../plumbing/appendStory';
import { type Attempt, logged, notifyFailed, report } from '../plumbing/credentialAttempt';
import { giveBackSlots, principalOf } from './breakerSlot';
import type { Executed, Settling } from './execute';

/** What a response decided and did, on either path: recorded and reported by `finish`. */
export interface Decided {
  key: string;
  incident: CredentialIncident;
  plan: ResponsePlan;
  facts: LiveFacts;
  transition: Settling;
  executed: Executed;
  /** The record as the attempt found it (undefined: none, or released: starting over). */
  record: CredentialRecord | undefined;
  /** The record while the tamper guard still watches it, even past the de-duplication window. */
  guarded: CredentialRecord | undefined;
  demand: CredentialIncident | undefined;
  /** The breaker slots this attempt took (its account's, the organisation's), if it took any. */
  taken: readonly TakenSlot[];
  attempt: Attempt;
}

/** Record → report: the last phases, the same on both paths. */
export async function finish(decided: Decided, deps: Deps): Promise<IncidentResponse> {
  const { key, incident, plan, facts, transition, executed, record, guarded, demand, taken, attempt } = decided;
  // The slot this attempt took goes back only if nothing was cut off (a partial containment still counts; a tag
  // does not cut anything off).
  const cutOff = executed.actions.some((a) => a.status === 'done' && a.type !== 'tag-principal');
  if (executed.outcome === 'failed' && !cutOff) await giveBackSlots(taken, deps);
  const response: AnsweredIncident = {
    outcome: executed.outcome,
    reason: executed.reason,
    explanation: withOwnerNote(executed.explanation, facts),
    incident,
    policy: plan.policy,
    actions: executed.actions,
  };
  // Past the de-duplication window the guard may still watch the credential: that is kept.
  const watched = guarded?.released ? undefined : guarded?.guardUntil;
  const before = record ?? { ...newRecord(key, incident, deps.now()), ...(watched ? { guardUntil: watched } : {}) };
  const failed = executed.outcome === 'failed';
  const achieved =
    transition.kind === 'report' && transition.achieved !== undefined
      ? transition.achieved
      : failed
        ? before.achieved
        : strongerOf(before.achieved, executed.level);
  const heldNow = transition.reason === 'breaker-open' || transition.reason === 'still-held';
  const { pendingAlert: _replaced, released: _startedOver, ...rest } = before;
  const containedNow = !failed && executed.level === 'contained' && transition.kind === 'act';
  // The deny's cut-off, where the next session is reported under this record (see activityAfterCutOff).
  const sessionsCutAt = sessionsShareRecord(incident.credential)
    ? executed.actions.find((a) => a.type === 'revoke-sessions' && a.status === 'done')?.at
    : undefined;
  const recorded: CredentialRecord = {
    ...rest,
    ...(demand ? { demand } : {}),
    ...(containedNow ? { guardUntil: new Date(deps.now().getTime() + deps.guardWindowMs).toISOString() } : {}),
    ...(sessionsCutAt ? { cutOffAt: sessionsCutAt } : {}),
    achieved,
    held: heldNow || (achieved !== 'contained' && before.held),
    last: storedResponseOf(response, deps.now()),
    // What was done stays recorded even when this response failed (a retry or a release must know it).
    did: withDone(before, executed.actions),
    updatedAt: deps.now().toISOString(),
  };

  if (!failed && achieved === 'contained') rememberContained(recorded, deps);
  if (failed) {
    // Nothing was achieved: the failure alert goes out, and a transient failure is retried from the start.
    await attempt.save(recorded, { release: true });
    const final = await report(response, deps);
    await appendStory(key, final, recorded, deps);
    if (executed.retry) throw new ContainmentFailedError(final);
    if (notifyFailed(final)) throw new NotificationFailedError(final);
    return final;
  }
  // Acting is always news, and so is a changed situation (newly held, undone); otherwise responders are told only
  // what is stronger than what they know.
  const tell = transition.kind === 'act' || (transition.kind === 'report' && transition.tell === true) || isNews(executed.level, before);
  if (!tell) {
    await attempt.save(recorded, { release: true });
    await appendStory(key, response, recorded, deps);
    return logged(response, deps);
  }
  return attempt.commitWithAlert(recorded, response, { ...recorded, alerted: strongerOf(before.alerted, executed.level) });
}

/** The next report about a credential this container answered as contained asks its record first (openGate). */
export function rememberContained(record: CredentialRecord, deps: Deps): void {
  const soon = deps.now().getTime() + REMEMBERED_FOR_MS;
  const guarded = record.guardUntil === undefined ? soon : Date.parse(record.guardUntil);
  deps.recent.remember(record.key, new Date(Math.min(soon, guarded)));
}

/** A report is news to responders when it is stronger than anything they were told about this credential. */
function isNews(level: ResponseLevel, record: CredentialRecord): boolean {
  return strongerOf(level, record.alerted) !== record.alerted;
}

function newRecord(key: string, incident: CredentialIncident, now: Date): CredentialRecord {
  const principal = principalOf(incident);
  return {
    schemaVersion: CREDENTIAL_RECORD_VERSION,
    key,
    accountId: incident.accountId,
    ...(principal ? { principal } : {}),
    achieved: 'none',
    alerted: 'none',
    held: false,
    firstSeenAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

function withOwnerNote(explanation: string, facts: LiveFacts): string {
  if (facts.reportedOwner === undefined || facts.incident.credential.kind !== 'long-term-key') return explanation;
  return (
    `${explanation} (the report named user ${facts.reportedOwner}, but IAM says the key belongs to ` +
    `${facts.incident.credential.userName}: the real owner's tags and key decided)`
  );
}
