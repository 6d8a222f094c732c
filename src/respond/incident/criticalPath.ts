import type { CredentialRecord } from '../../decide/CredentialRecord';
import { needsPrincipalFacts } from '../../decide/Guardrails';
import { activityAfterCutOff } from '../../decide/nextResponse';
import type { ResponsePlan } from '../../decide/planResponse';
import type { CredentialIncident } from '../../domain/CredentialIncident';
import { failureKindOf } from '../../domain/errors';
import type { IncidentResponse } from '../../domain/IncidentResponse';
import { gatherFacts, type LiveFacts } from '../../facts/gatherFacts';
import type { BreakerSlot, Gate, StateStore } from '../../stores/StateStore';
import type { Deps } from '../Deps';
import { attemptOn } from '../plumbing/credentialAttempt';
import { giveBackSlot, slotOf } from './breakerSlot';
import { decide, planWith, recordFor } from './decide';
import { containmentSteps, outcomeOf } from './execute';
import { finish, rememberContained } from './finish';

const noFacts = (incident: CredentialIncident): LiveFacts => ({ incident });

/**
 * The critical path of a first report calling for containment: the same phases as the exact path, in another order.
 * claim ∥ admission ∥ tags (ONE round trip: two conditional updates sent together with the principal's tags when an
 * exemption depends on them) → the containment write ∥ the record read → transition → record → report. A likely
 * duplicate sends its claim alone first (openGate). Undefined: this path cannot settle the report (a live attempt, a
 * breaker to decide exactly, an exemption by tag, a key the named user does not own, a transition other than `act`…):
 * it gives back what it took, and the exact path decides from the start.
 */
export async function respondOnCriticalPath(
  reported: CredentialIncident,
  initial: ResponsePlan,
  key: string,
  state: StateStore,
  deps: Deps,
  options: { bypassBreaker?: boolean },
): Promise<IncidentResponse | undefined> {
  const counted = !initial.bypassBreaker && !options.bypassBreaker;
  const slot = counted ? slotOf(reported) : undefined;
  const opened = await openGate(reported, key, slot, state, deps);
  if (opened === undefined) return undefined;
  const { gate, early } = opened;
  // The slot this request took, if it took one (a principal counted already has none to give back).
  const taken = slot && gate.admission?.kind === 'admitted' && gate.admission.added ? { ...slot, stamp: gate.admission.stamp } : undefined;
  const attempt = attemptOn(key, gate.claim.kind === 'claimed' ? gate.claim.token : undefined, deps);
  const handOver = async () => {
    if (taken) await giveBackSlot(taken, deps);
    await attempt.release();
    return undefined;
  };
  if (gate.claim.kind === 'settled') {
    const duplicate = settledDuplicate(gate.claim.record, reported, initial, deps);
    if (duplicate === undefined) return handOver();
    if (taken) await giveBackSlot(taken, deps);
    return duplicate;
  }
  // Another invocation holds the credential, or the breaker must decide exactly (full?): the exact path waits or decides.
  if (gate.claim.kind !== 'claimed' || gate.admission?.kind === 'refused') return handOver();
  try {
    const plan = planWith(initial, reported, early, deps);
    // Exempt by its tags or path: nothing was written; the exact path answers with the record.
    if (!plan.execute) return await handOver();
    const incident = early.incident;
    const [steps, stored] = await Promise.all([
      // A key IAM does not know as the named user's stops the steps there: nothing else is done to that user.
      containmentSteps(incident, plan, early, deps, {
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
    if (incident.credential.kind === 'long-term-key' && steps.failures.some((f) => failureKindOf(f) === 'gone')) return await handOver();

    const { record } = await recordFor(stored.record, attempt);
    // The gate claimed a credential not contained, so the transition acts (its reason says why: first, escalated…).
    // Anything else is the exact path's to settle: this path never re-labels a transition.
    const decision = await decide(record, plan, early, async (other) => noFacts(other), deps);
    const { transition } = decision;
    if (transition.kind !== 'act') return await handOver();
    const executed = await outcomeOf(transition, incident, plan, steps, deps);
    return await finish({ key, ...decision, transition, executed, record, guarded: stored.guarded, taken, attempt }, deps);
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
  slot: BreakerSlot | undefined,
  state: StateStore,
  deps: Deps,
): Promise<{ gate: Gate; early: LiveFacts } | undefined> {
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
    const [gate, early] = await Promise.all([state.gate(key, reported.id, slot, deps.now()).catch(unavailable), tags()]);
    return gate && { gate, early };
  }
  const claimed = await state.gate(key, reported.id, undefined, deps.now()).catch(unavailable);
  if (claimed?.claim.kind !== 'claimed') return claimed && { gate: claimed, early: noFacts(reported) };
  const [counted, early] = await Promise.all([slot && state.admitAtOnce(slot, deps.now()), tags()]);
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
