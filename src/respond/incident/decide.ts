import type { CredentialRecord } from '../../decide/CredentialRecord';
import { nextResponse, repeatsReleased, type Transition } from '../../decide/nextResponse';
import { planResponse, type ResponsePlan } from '../../decide/planResponse';
import type { CredentialIncident } from '../../domain/CredentialIncident';
import type { AnsweredIncident } from '../../domain/IncidentResponse';
import type { LiveFacts } from '../../facts/gatherFacts';
import type { Deps } from '../Deps';
import type { Attempt } from '../plumbing/credentialAttempt';

/**
 * The decision phases both paths share, written once: the plan made again with what was read live, the record as the
 * transition reads it, and the transition (the one function that decides: nextResponse). The critical path only
 * orders them differently (the plan before the record, which is read while the containment write runs).
 */

/** The plan made again with what was read live: the principal's tags, and the key's real owner (when IAM named another). */
export function planWith(initial: ResponsePlan, reported: CredentialIncident, facts: LiveFacts, deps: Deps): ResponsePlan {
  return facts.tags || facts.incident !== reported ? planResponse(deps.policies, facts.incident, deps.guardrails, facts.tags) : initial;
}

/**
 * The record the transition reads: a released credential starts over (whatever is reported now is new evidence); an
 * alert an earlier response left pending goes out first.
 */
export async function recordFor(
  found: CredentialRecord | undefined,
  attempt: Attempt,
): Promise<{ record?: CredentialRecord; resent?: AnsweredIncident }> {
  const record = found?.released ? undefined : found;
  return record ? attempt.resendPending(record) : {};
}

export interface Decision {
  plan: ResponsePlan;
  facts: LiveFacts;
  /** The incident the transition is about (the report's, or the stronger earlier one it is held to). */
  incident: CredentialIncident;
  /** The report later, weaker reports are held to. */
  demand: CredentialIncident | undefined;
  transition: Transition;
}

/**
 * The transition for this report. A weaker report is held to the strongest one so far: a held credential, or a key
 * someone re-enabled, is contained on the next report of any kind (unless exempt now).
 */
export async function decide(
  record: CredentialRecord | undefined,
  planned: ResponsePlan,
  found: LiveFacts,
  readFacts: (incident: CredentialIncident) => Promise<LiveFacts>,
  deps: Deps,
  /** The record as found when a responder released the credential (recordFor starts such a record over). */
  released?: CredentialRecord,
): Promise<Decision> {
  let plan = planned;
  let facts = found;
  if (!plan.execute && record?.demand !== undefined) {
    const demandFacts = await readFacts(record.demand);
    const demandPlan = planResponse(deps.policies, demandFacts.incident, deps.guardrails, demandFacts.tags);
    if (demandPlan.execute) {
      facts = demandFacts;
      plan = {
        ...demandPlan,
        explanation: `held to the earlier report ${record.demand.id} (${record.demand.type}): ${demandPlan.explanation}`,
      };
    }
  }
  const { incident } = facts;
  // A release stands against a repeat of the evidence it was made on (the same finding, observed no later).
  const repeat = repeatsReleased(released, found.incident);
  if (repeat !== undefined) {
    return { plan, facts, incident, demand: undefined, transition: { kind: 'duplicate', reason: 'duplicate-report', explanation: repeat } };
  }
  const transition = nextResponse(record, plan, facts, {
    observedAt: incident.observedAt,
    approval: incident.source === 'approved',
    incident,
  });
  return { plan, facts, incident, demand: plan.execute ? incident : record?.demand, transition };
}
