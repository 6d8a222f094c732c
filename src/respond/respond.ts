import { createHash } from 'node:crypto';
import type { ActionResult } from '../actions/ContainmentAction';
import { containmentActions } from '../actions/containmentActions';
import {
  CREDENTIAL_RECORD_VERSION,
  type CredentialRecord,
  type ResponseLevel,
  storedResponseOf,
  strongerOf,
} from '../decide/CredentialRecord';
import { needsPrincipalFacts } from '../decide/Guardrails';
import { activityAfterCutOff, holdTransition, nextResponse, type Transition } from '../decide/nextResponse';
import { holdForBreaker, planResponse, type ResponsePlan } from '../decide/planResponse';
import type { AdaptedEvent } from '../domain/AdaptedEvent';
import { type CredentialIncident, iamPrincipalOf } from '../domain/CredentialIncident';
import { credentialKey, sessionsShareRecord } from '../domain/credentialKey';
import {
  ContainmentFailedError,
  FactsUnavailableError,
  failureKindOf,
  IncompleteResponseError,
  messageOf,
  NotificationFailedError,
} from '../domain/errors';
import type { AnsweredIncident, IncidentResponse } from '../domain/IncidentResponse';
import { gatherFacts, type LiveFacts } from '../facts/gatherFacts';
import { readKeyOwner } from '../facts/readAccessKey';
import { readPrincipal } from '../facts/readPrincipal';
import { formatBreakerAlert } from '../report/notify/formatBreakerAlert';
import { REMEMBERED_FOR_MS } from '../stores/recentlyContained';
import type { Admission, Gate } from '../stores/StateStore';
import { type Attempt, attemptOn, claimCredential, logged, notifyFailed, report } from './credentialAttempt';
import type { Deps } from './Deps';
import { respondToTampering } from './respondToTampering';

/** Incidents of one event handled at once: a Security Hub batch of 100 must not become 100 × the IAM rate. */
const INCIDENT_CONCURRENCY = 5;

/**
 * The response to one event. Each incident stands alone (a failing one does not stop the others); when any did not
 * complete, the invocation fails once, after all were handled, so Lambda retries the event and the retry redoes
 * only the unfinished ones (the finished ones are recorded and answer as duplicates).
 */
export async function respond(adapted: AdaptedEvent, deps: Deps): Promise<IncidentResponse[]> {
  if (adapted.kind === 'ignored') {
    deps.logger.info('event ignored: not a credential compromise Keystop acts on', { reason: adapted.reason, detail: adapted.detail });
    return [{ outcome: 'ignored', reason: adapted.reason, explanation: adapted.detail, incident: null, policy: undefined, actions: [] }];
  }
  if (adapted.kind === 'tamper') return respondToTampering(adapted.reports, deps);
  return respondToIncidents(adapted.incidents, deps);
}

/** Every incident on its own, a few at a time; one error at the end if any did not complete. */
export async function respondToIncidents(
  incidents: readonly CredentialIncident[],
  deps: Deps,
  options: { bypassBreaker?: boolean } = {},
): Promise<IncidentResponse[]> {
  const settled: PromiseSettledResult<IncidentResponse>[] = new Array(incidents.length);
  let next = 0;
  const worker = async () => {
    while (next < incidents.length) {
      const index = next++;
      settled[index] = await respondToIncident(incidents[index]!, deps, options).then(
        (value) => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const,
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(INCIDENT_CONCURRENCY, incidents.length) }, worker));
  const failures = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  const responses = settled.map((result, index) =>
    result.status === 'fulfilled' ? result.value : responseOfError(result.reason, incidents[index]!),
  );
  if (failures.length > 0) throw new IncompleteResponseError(responses, failures);
  return responses;
}

const noFacts = (incident: CredentialIncident): LiveFacts => ({ incident });

function responseOfError(error: unknown, incident: CredentialIncident): IncidentResponse {
  if (error instanceof ContainmentFailedError || error instanceof NotificationFailedError) return error.response;
  return { outcome: 'failed', reason: 'error', explanation: messageOf(error), incident, policy: undefined, actions: [] };
}

/**
 * One report about one credential, in fixed phases (docs/state-machine.md):
 * gate → plan → transition → execute → record → report. A first report calling for containment takes the critical
 * path (one round trip before the containment write); everything else, the exact path.
 */
async function respondToIncident(
  reported: CredentialIncident,
  deps: Deps,
  /** `keystop breaker reset --contain-held`: an operator's explicit decision, not counted against the breaker. */
  options: { bypassBreaker?: boolean } = {},
): Promise<IncidentResponse> {
  const key = credentialKey(reported);
  const initial = planResponse(deps.policies, reported, deps.guardrails);
  const { credential } = reported;
  // A long-term key's deactivation comes first: IAM's answer to it proves the named user holds the key before
  // anything else is done to that user.
  const onCriticalPath =
    deps.state !== undefined &&
    initial.execute &&
    reported.updatedByCustomer !== true &&
    // An approval is checked against the record (decide/awaitsApproval.ts) before anything is written.
    reported.source !== 'approved' &&
    (credential.kind !== 'long-term-key' || (credential.userName !== undefined && initial.steps[0]?.type === 'deactivate-access-key'));
  if (onCriticalPath) {
    const answered = await respondOnCriticalPath(reported, initial, key, deps, options);
    if (answered !== undefined) return answered;
  }
  return respondExactly(reported, initial, key, deps, options);
}

/**
 * The critical path of a first report calling for containment: ONE round trip (the credential's claim and the
 * breaker's admission, two conditional updates sent together with the principal's tags when an exemption depends on
 * them), then the containment write; a likely duplicate sends its claim alone first (openGate). The record is read
 * while the write runs. Undefined: this path cannot settle the report (a live attempt, a breaker to decide exactly, an
 * exemption by tag, a key the named user does not own…): the exact path does, from the start (what this path took is
 * given back first).
 */
async function respondOnCriticalPath(
  reported: CredentialIncident,
  initial: ResponsePlan,
  key: string,
  deps: Deps,
  options: { bypassBreaker?: boolean },
): Promise<IncidentResponse | undefined> {
  const state = deps.state!;
  const counted = !initial.bypassBreaker && !options.bypassBreaker;
  const admission = counted ? { accountId: reported.accountId, principal: breakerPrincipalOf(reported) } : undefined;
  const opened = await openGate(reported, key, admission, deps);
  if (opened === undefined) return undefined;
  const { gate, early } = opened;
  // The slot this request took, if it took one (a principal counted already has none to give back).
  const taken =
    admission && gate.admission?.kind === 'admitted' && gate.admission.added ? { ...admission, stamp: gate.admission.stamp } : undefined;
  const attempt = attemptOn(key, gate.claim.kind === 'claimed' ? gate.claim.token : undefined, deps);
  const stepAside = async () => {
    if (taken) await giveBackSlot(taken, deps);
    await attempt.release();
    return undefined;
  };
  if (gate.claim.kind === 'settled') {
    const duplicate = settledDuplicate(gate.claim.record, reported, initial, deps);
    if (duplicate === undefined) return stepAside();
    if (taken) await giveBackSlot(taken, deps);
    return duplicate;
  }
  // Another invocation holds the credential, or the breaker must decide exactly (full?): the exact path waits or decides.
  if (gate.claim.kind !== 'claimed' || gate.admission?.kind === 'refused') return stepAside();
  const admitted = taken;
  try {
    const plan =
      early.tags || early.incident !== reported ? planResponse(deps.policies, early.incident, deps.guardrails, early.tags) : initial;
    // Exempt by its tags or path: nothing was written; the exact path answers with the record.
    if (!plan.execute) return await stepAside();
    const incident = early.incident;
    const [steps, stored] = await Promise.all([
      // A key IAM does not know as the named user's stops the steps there: nothing else is done to that user.
      runSteps(incident, plan, early, deps, {
        haltOn: (error) => incident.credential.kind === 'long-term-key' && failureKindOf(error) === 'gone',
      }),
      state.read(key, deps.now()).catch((error: unknown) => {
        // The write is under way and the claim is held: go on as for a credential with no record (a repeated alert
        // is cheaper than a second invocation containing and alerting beside this one).
        deps.logger.error('could not read the credential record; going on without it', { incidentId: reported.id, error });
        return {} as Awaited<ReturnType<typeof state.read>>;
      }),
    ]);
    // IAM does not know the key as the named user's: the exact path asks IAM whose it is (that owner's exemptions
    // decide), or finds it deleted.
    if (incident.credential.kind === 'long-term-key' && steps.failures.some((f) => failureKindOf(f) === 'gone')) return await stepAside();

    let record = stored.record?.released ? undefined : stored.record;
    if (record?.pendingAlert) ({ record } = await resendPendingAlert(record, attempt, deps));
    // The gate claimed a credential not contained: the transition acts (its reason says why: first, escalated…).
    const next = nextResponse(record, plan, early, { observedAt: incident.observedAt, incident });
    const transition: Extract<Transition, { kind: 'act' }> =
      next.kind === 'act' ? next : { kind: 'act', reason: plan.reason, explanation: plan.explanation };
    const executed = await outcomeOf(transition, incident, plan, steps, deps);
    return await finish(
      { key, incident, plan, facts: early, transition, executed, record, guarded: stored.guarded, demand: incident, admitted, attempt },
      deps,
    );
  } catch (error) {
    await attempt.release();
    throw error;
  }
}

/**
 * The gate's round trip (the credential's claim and the breaker's admission), with the principal's tags when an
 * exemption depends on them. A report about a credential most likely contained already (this container answered it as
 * contained lately, or its source says it repeats an earlier notification) sends the claim alone: a duplicate is
 * answered from that one request, with nothing from IAM, and a claim that succeeds after all goes on to the breaker and
 * the tags, one round trip later. Undefined: the table cannot be reached (the exact path decides).
 */
async function openGate(
  reported: CredentialIncident,
  key: string,
  admission: Admission | undefined,
  deps: Deps,
): Promise<{ gate: Gate; early: LiveFacts } | undefined> {
  const state = deps.state!;
  const unavailable = (error: unknown) => {
    deps.logger.error('credential state unavailable on the critical path; taking the exact path', { incidentId: reported.id, error });
    return undefined;
  };
  // The member account's client is found before anything is taken: an account Keystop cannot reach fails here.
  const iam = needsPrincipalFacts(deps.guardrails) ? deps.clientsFor(reported).iam : undefined;
  const tags = async () =>
    iam ? gatherFacts(reported, { iam, logger: deps.logger, readPrincipal: true, readStatus: false }) : noFacts(reported);
  const repeat = deps.recent.recalls(key, deps.now()) || reported.repeated === true;
  if (!repeat) {
    const [gate, early] = await Promise.all([state.gate(key, reported.id, admission, deps.now()).catch(unavailable), tags()]);
    return gate && { gate, early };
  }
  const claimed = await state.gate(key, reported.id, undefined, deps.now()).catch(unavailable);
  if (claimed?.claim.kind !== 'claimed') return claimed && { gate: claimed, early: noFacts(reported) };
  const [counted, early] = await Promise.all([admission && state.admitAtOnce(admission, deps.now()), tags()]);
  return { gate: { claim: claimed.claim, ...(counted ? { admission: counted } : {}) }, early };
}

/**
 * A report about a credential Keystop contained, answered from its record alone (no IAM read, no alert): while the
 * tamper guard watches the credential, a re-enabled key is put back by the guard on IAM's own CloudTrail event, so
 * the record is the truth. The guard sees IAM's events of Keystop's own account only (its rule and the forwarders
 * are on that account's buses; a member account's IAM events never reach it): a credential of a member account is
 * never answered this way. Undefined when the record alone cannot tell (a member account, an alert pending, held,
 * released, past the guard window, a record of the previous format): the exact path reads the key's status.
 */
function settledDuplicate(
  record: CredentialRecord | undefined,
  incident: CredentialIncident,
  plan: ResponsePlan,
  deps: Deps,
): IncidentResponse | undefined {
  const seen = deps.guardrails.accounts !== undefined && incident.accountId === deps.guardrails.accounts.own;
  const watched = seen && record?.guardUntil !== undefined && Date.parse(record.guardUntil) > deps.now().getTime();
  if (record === undefined || record.achieved !== 'contained' || record.pendingAlert || record.held || record.released || !watched) {
    return undefined;
  }
  // Activity after the session cut-off: a session the deny does not reach; the exact path decides (nextResponse).
  if (activityAfterCutOff(record, incident.observedAt)) return undefined;
  rememberContained(record, deps);
  const before = record.last ? ` (incident ${record.last.incident.id}, ${record.last.outcome})` : '';
  const explanation =
    `already contained${before}; the tamper guard watches it until ${record.guardUntil} and puts back whatever undoes ` +
    'the containment, so no second containment and no second alert';
  deps.logger.info('duplicate report of a credential already handled', { incidentId: incident.id, key: record.key, explanation });
  return { outcome: 'duplicate', reason: 'duplicate-report', explanation, incident, policy: plan.policy, actions: [] };
}

/**
 * The exact path: claim ∥ facts (the key's real owner, its status, the principal's tags) → plan → transition →
 * breaker → execute → record → report. Every report the critical path does not settle ends here.
 */
async function respondExactly(
  reported: CredentialIncident,
  initial: ResponsePlan,
  key: string,
  deps: Deps,
  options: { bypassBreaker?: boolean },
): Promise<IncidentResponse> {
  // Facts are read only when the plan would act (or show what it would do): they cannot change an alert-only plan.
  // A key exempt by the name the report gives is looked up too: its real owner decides, not the name.
  const wouldAct =
    initial.reason === 'matched' ||
    initial.reason === 'dry-run' ||
    (initial.reason === 'exempt-principal' && reported.credential.kind === 'long-term-key');
  const factsOf = (incident: CredentialIncident) =>
    gatherFacts(incident, {
      iam: deps.clientsFor(incident).iam,
      logger: deps.logger,
      readPrincipal: needsPrincipalFacts(deps.guardrails),
      readStatus: deps.state !== undefined,
    });
  const [claim, earlyFacts] = await Promise.all([claimCredential(key, reported, deps), wouldAct ? factsOf(reported) : noFacts(reported)]);
  const attempt = attemptOn(key, claim.token, deps);
  try {
    // A released credential starts over: whatever is reported now is new evidence.
    let record = claim.record?.released ? undefined : claim.record;
    let resent: AnsweredIncident | undefined;
    if (record?.pendingAlert) ({ record, resent } = await resendPendingAlert(record, attempt, deps));

    // Facts read while another invocation held the credential may be stale (it may have just contained the key).
    let facts = claim.waited && wouldAct ? await factsOf(reported) : earlyFacts;
    let plan =
      facts.tags || facts.incident !== reported ? planResponse(deps.policies, facts.incident, deps.guardrails, facts.tags) : initial;
    // A weaker report is held to the strongest one so far: a held credential, or a key someone re-enabled, is
    // contained on the next report of any kind (unless exempt now).
    if (!plan.execute && record?.demand !== undefined) {
      const demandFacts = await factsOf(record.demand);
      const demandPlan = planResponse(deps.policies, demandFacts.incident, deps.guardrails, demandFacts.tags);
      if (demandPlan.execute) {
        facts = demandFacts;
        plan = {
          ...demandPlan,
          explanation: `held to the earlier report ${record.demand.id} (${record.demand.type}): ${demandPlan.explanation}`,
        };
      }
    }
    const incident = facts.incident;
    const demand = plan.execute ? incident : record?.demand;
    const next = nextResponse(record, plan, facts, { observedAt: incident.observedAt, approval: incident.source === 'approved', incident });
    if (next.kind === 'retry') throw new FactsUnavailableError(reported.id, next.explanation);
    let transition: Exclude<Transition, { kind: 'retry' }> = next;
    let admitted: Admitted | undefined;
    const counted = plan.execute && !plan.bypassBreaker && !options.bypassBreaker && transition.reason !== 'already-inactive';
    if (transition.kind === 'act' && counted) {
      const admission = await admit(incident, plan, deps);
      if (admission.held) {
        plan = admission.plan;
        transition = holdTransition(record, plan);
      } else {
        admitted = admission.admitted;
      }
    }

    if (transition.kind === 'duplicate') {
      await attempt.release();
      if (resent) return resent;
      deps.logger.info('duplicate report of a credential already handled', {
        incidentId: incident.id,
        key,
        explanation: transition.explanation,
      });
      return {
        outcome: 'duplicate',
        reason: transition.reason,
        explanation: transition.explanation,
        incident,
        policy: plan.policy,
        actions: [],
      };
    }

    const executed = await execute(transition, incident, plan, facts, deps);
    return await finish(
      { key, incident, plan, facts, transition, executed, record, guarded: claim.guarded, demand, admitted, attempt },
      deps,
    );
  } catch (error) {
    await attempt.release();
    throw error;
  }
}

/** What a response decided and did, on either path: recorded and reported by `finish`. */
interface Decided {
  key: string;
  incident: CredentialIncident;
  plan: ResponsePlan;
  facts: LiveFacts;
  transition: Exclude<Transition, { kind: 'duplicate' | 'retry' }>;
  executed: Executed;
  /** The record as the attempt found it (undefined: none, or released: starting over). */
  record: CredentialRecord | undefined;
  /** The record while the tamper guard still watches it, even past the de-duplication window. */
  guarded: CredentialRecord | undefined;
  demand: CredentialIncident | undefined;
  /** The breaker slot this attempt took, if it took one. */
  admitted: Admitted | undefined;
  attempt: Attempt;
}

/** Record → report: the last phases, the same on both paths. */
async function finish(decided: Decided, deps: Deps): Promise<IncidentResponse> {
  const { key, incident, plan, facts, transition, executed, record, guarded, demand, admitted, attempt } = decided;
  // The slot this attempt took goes back only if nothing was cut off (a partial containment still counts; a tag
  // does not cut anything off).
  const cutOff = executed.actions.some((a) => a.status === 'done' && a.type !== 'tag-principal');
  if (executed.outcome === 'failed' && admitted !== undefined && !cutOff) await giveBackSlot(admitted, deps);
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
    updatedAt: deps.now().toISOString(),
  };

  if (!failed && achieved === 'contained') rememberContained(recorded, deps);
  if (failed) {
    // Nothing was achieved: the failure alert goes out, and a transient failure is retried from the start.
    await attempt.save(recorded, { release: true });
    const final = await report(response, deps);
    if (executed.retry) throw new ContainmentFailedError(final);
    if (notifyFailed(final)) throw new NotificationFailedError(final);
    return final;
  }
  // Acting is always news, and so is a changed situation (newly held, undone); otherwise responders are told only
  // what is stronger than what they know.
  const tell = transition.kind === 'act' || (transition.kind === 'report' && transition.tell === true) || isNews(executed.level, before);
  if (!tell) {
    await attempt.save(recorded, { release: true });
    return logged(response, deps);
  }
  // Recorded as achieved before the alert, with the alert pending: if this invocation dies now, whoever claims the
  // credential next sends it. The attempt is kept until the alert is out.
  await attempt.save({ ...recorded, pendingAlert: storedResponseOf(response, deps.now()) }, { release: false });
  const final = await report(response, deps);
  if (notifyFailed(final)) throw new NotificationFailedError(final);
  await attempt.save({ ...recorded, alerted: strongerOf(before.alerted, executed.level) }, { release: true });
  return final;
}

/** The next report about a credential this container answered as contained asks its record first (openGate). */
function rememberContained(record: CredentialRecord, deps: Deps): void {
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

/** What the breaker counts: the IAM user or role (all its sessions are one), else the credential itself. */
function principalOf(incident: CredentialIncident): string | undefined {
  const principal = iamPrincipalOf(incident.credential);
  return principal ? `${principal.kind}/${principal.name}` : undefined;
}

function withOwnerNote(explanation: string, facts: LiveFacts): string {
  if (facts.reportedOwner === undefined || facts.incident.credential.kind !== 'long-term-key') return explanation;
  return (
    `${explanation} (the report named user ${facts.reportedOwner}, but IAM says the key belongs to ` +
    `${facts.incident.credential.userName}: the real owner's tags and key decided)`
  );
}

/** The alert of an earlier response never went out (its invocation failed or died): it goes out first, now. */
async function resendPendingAlert(
  record: CredentialRecord,
  attempt: Attempt,
  deps: Deps,
): Promise<{ record: CredentialRecord; resent: AnsweredIncident }> {
  const stored = record.pendingAlert!;
  const response: AnsweredIncident = {
    outcome: stored.outcome,
    reason: stored.reason as AnsweredIncident['reason'],
    explanation: stored.explanation,
    incident: stored.incident,
    policy: stored.policy,
    actions: stored.actions.filter((a) => !['notify', 'notify-activity', 'audit', 'update-finding'].includes(a.type)) as ActionResult[],
  };
  const final = await report(response, deps);
  if (notifyFailed(final)) throw new NotificationFailedError(final);
  const level: ResponseLevel = stored.outcome === 'contained' || stored.outcome === 'gone' ? 'contained' : 'alerted';
  const { pendingAlert: _sent, ...rest } = record;
  const updated = { ...rest, alerted: strongerOf(record.alerted, level), updatedAt: deps.now().toISOString() };
  await attempt.save(updated, { release: false });
  return { record: updated, resent: final };
}

// ————————————————————————————————————————— breaker ————————————————————————————————————————

/** The breaker slot an attempt took: the principal, and the stamp its admission left (what giving it back takes). */
interface Admitted {
  accountId: string;
  principal: string;
  stamp: string;
}

/**
 * What the breaker counts for an incident: its principal, else the credential itself. IAM names are at most 64
 * characters; a longer one (report text, not a name IAM issued) is counted by its hash, so that the breaker's item
 * (one attribute name per principal) stays small whatever a report says.
 */
function breakerPrincipalOf(incident: CredentialIncident): string {
  const principal = principalOf(incident) ?? credentialKey(incident);
  return principal.length <= 160 ? principal : `sha256:${createHash('sha256').update(principal).digest('hex')}`;
}

/** Counts the principal against the account's breaker; an open breaker holds the plan (it becomes an alert). */
async function admit(
  incident: CredentialIncident,
  plan: ResponsePlan,
  deps: Deps,
): Promise<{ held: false; admitted?: Admitted } | { held: true; plan: ResponsePlan }> {
  if (deps.state === undefined) return { held: false };
  const principal = breakerPrincipalOf(incident);
  try {
    const admission = await deps.state.admit(incident.accountId, principal, deps.now());
    if (admission.admitted) {
      return {
        held: false,
        ...(admission.stamp ? { admitted: { accountId: incident.accountId, principal, stamp: admission.stamp } } : {}),
      };
    }
    if (admission.justOpened) {
      await deps.notifier.publish(formatBreakerAlert(incident.accountId, admission.count, deps.now())).catch((error: unknown) => {
        deps.logger.error('could not publish the breaker-open alert', { accountId: incident.accountId, error });
      });
    }
    return { held: true, plan: holdForBreaker(plan, admission.count) };
  } catch (error) {
    deps.logger.error('breaker state unavailable; containing without it', { incidentId: incident.id, error });
    return { held: false };
  }
}

async function giveBackSlot({ accountId, principal, stamp }: Admitted, deps: Deps): Promise<void> {
  await deps.state
    ?.giveBack(accountId, principal, stamp)
    .catch((error: unknown) => deps.logger.error('could not give the breaker slot back', { accountId, principal, error }));
}

// ————————————————————————————————————————— execute ————————————————————————————————————————

interface Executed {
  outcome: IncidentResponse['outcome'];
  reason: IncidentResponse['reason'];
  explanation: string;
  level: ResponseLevel;
  actions: ActionResult[];
  /** A transient failure: the invocation fails after alerting, so Lambda retries it. */
  retry: boolean;
}

async function execute(
  transition: Exclude<Transition, { kind: 'duplicate' | 'retry' }>,
  incident: CredentialIncident,
  plan: ResponsePlan,
  facts: LiveFacts,
  deps: Deps,
): Promise<Executed> {
  if (transition.kind === 'report') {
    return { ...transition, actions: describeSteps(incident, plan), retry: false };
  }
  return outcomeOf(transition, incident, plan, await runSteps(incident, plan, facts, deps), deps);
}

/** What the steps of an `act` transition came to: contained, or a failure to retry, refused, or a credential gone. */
async function outcomeOf(
  transition: Extract<Transition, { kind: 'act' }>,
  incident: CredentialIncident,
  plan: ResponsePlan,
  { results, failures }: { results: ActionResult[]; failures: unknown[] },
  deps: Deps,
): Promise<Executed> {
  const contained: Executed = {
    outcome: 'contained',
    reason: transition.reason,
    explanation: transition.explanation,
    level: 'contained',
    actions: results,
    retry: false,
  };
  if (failures.length === 0) return contained;
  const kinds = failures.map(failureKindOf);
  const retried: Executed = {
    ...contained,
    outcome: 'failed',
    reason: 'containment-failed',
    explanation: `a containment step failed and will be retried; ${plan.explanation}`,
    retry: true,
  };
  if (kinds.includes('transient')) return retried;
  if (kinds.includes('denied')) {
    return {
      ...contained,
      outcome: 'failed',
      reason: 'access-denied',
      explanation: `IAM refused a containment step (${failures.map(messageOf).join('; ')}): retrying cannot help; act by hand`,
    };
  }
  const gone = await confirmGone(incident, deps);
  if (gone === undefined) return retried;
  return { ...contained, outcome: 'gone', reason: 'credential-gone', explanation: `${gone}: nothing is left to contain` };
}

/**
 * After IAM answered NoSuchEntity: is the credential really gone? A long-term key is gone when IAM does not know
 * it at all; a session's principal when the user or role does not exist. Undefined: it still exists (retry).
 */
async function confirmGone(incident: CredentialIncident, deps: Deps): Promise<string | undefined> {
  const { credential } = incident;
  if (credential.kind === 'long-term-key') {
    const owner = await readKeyOwner(deps.clientsFor(incident).iam, credential.accessKeyId).catch((error: unknown) =>
      failureKindOf(error) === 'gone' ? undefined : 'unknown',
    );
    return owner === undefined ? `IAM does not know access key ${credential.accessKeyId} (deleted)` : undefined;
  }
  const principal = iamPrincipalOf(credential);
  if (principal === undefined) return undefined;
  const found = await readPrincipal(deps.clientsFor(incident).iam, principal).catch(() => ({ path: 'unknown' }));
  return found.path === undefined ? `the ${principal.kind} ${principal.name} no longer exists` : undefined;
}

/** The plan's steps as "would …" lines, for responses that change nothing. */
function describeSteps(incident: CredentialIncident, plan: ResponsePlan): ActionResult[] {
  if (plan.steps.length === 0) {
    const reason = `cannot act on a ${incident.credential.kind}`;
    return plan.inapplicable.map((step) => ({ type: step.type, status: 'skipped', target: 'none', reason }));
  }
  return plan.steps.map((step) => {
    const action = containmentActions[step.type];
    return {
      type: step.type,
      status: 'skipped',
      target: action.targetOf(incident),
      reason: `${plan.reason}: would ${action.describe(incident)}`,
    };
  });
}

/** Runs each step of the plan against the credential's account; a key already Inactive is not written again. */
async function runSteps(
  incident: CredentialIncident,
  plan: ResponsePlan,
  facts: LiveFacts,
  deps: Deps,
  /** A failure after which no further step runs. */
  { haltOn }: { haltOn?: (error: unknown) => boolean } = {},
): Promise<{ results: ActionResult[]; failures: unknown[] }> {
  const results: ActionResult[] = [];
  const failures: unknown[] = [];
  for (const step of plan.steps) {
    const action = containmentActions[step.type];
    const target = action.targetOf(incident);
    if (step.type === 'deactivate-access-key' && facts.keyStatus === 'Inactive') {
      results.push({
        type: step.type,
        status: 'skipped',
        target,
        reason: 'the key was already Inactive (deactivated before Keystop acted): not written again',
      });
      continue;
    }
    try {
      const result = await action.run({ incident, now: deps.now() }, deps.clientsFor(incident));
      results.push({ type: step.type, ...result, at: deps.now().toISOString() });
    } catch (error) {
      deps.logger.error('containment step failed', { incidentId: incident.id, action: step.type, error });
      failures.push(error);
      results.push({ type: step.type, status: 'failed', target, reason: messageOf(error) });
      if (haltOn?.(error)) break;
    }
  }
  return { results, failures };
}
