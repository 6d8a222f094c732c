import { needsPrincipalFacts } from '../../decide/Guardrails';
import { holdTransition } from '../../decide/nextResponse';
import type { ResponsePlan } from '../../decide/planResponse';
import type { CredentialIncident } from '../../domain/CredentialIncident';
import { FactsUnavailableError } from '../../domain/errors';
import type { IncidentResponse } from '../../domain/IncidentResponse';
import { gatherFacts, type LiveFacts } from '../../facts/gatherFacts';
import type { TakenSlot } from '../../stores/StateStore';
import type { Deps } from '../Deps';
import { attemptOn, claimCredential } from '../plumbing/credentialAttempt';
import { admit } from './breakerSlot';
import { decide, planWith, recordFor } from './decide';
import { execute, type Settling } from './execute';
import { finish } from './finish';

/**
 * The exact path: claim ∥ facts (the key's real owner, its status, the principal's tags) → plan → transition →
 * breaker → execute → record → report. Every report the critical path does not settle ends here.
 */
export async function respondExactly(
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
  const noFacts: LiveFacts = { incident: reported };
  const [claim, earlyFacts] = await Promise.all([claimCredential(key, reported, deps), wouldAct ? factsOf(reported) : noFacts]);
  const attempt = attemptOn(key, claim.token, deps);
  try {
    const { record, resent } = await recordFor(claim.record, attempt);
    // Facts read while another invocation held the credential may be stale (it may have just contained the key).
    const facts = claim.waited && wouldAct ? await factsOf(reported) : earlyFacts;
    const decision = await decide(record, planWith(initial, reported, facts, deps), facts, factsOf, deps, claim.record);
    const { incident, transition: next } = decision;
    if (next.kind === 'retry') throw new FactsUnavailableError(reported.id, next.explanation);
    let { plan } = decision;
    let transition = next;
    let taken: TakenSlot[] = [];
    // An already Inactive key is recorded without a write, so it takes no slot (the critical path, which does not read
    // the key's status before its write, counts it: docs/state-machine.md).
    const counted = plan.execute && !plan.bypassBreaker && !options.bypassBreaker && transition.reason !== 'already-inactive';
    if (transition.kind === 'act' && counted) {
      const admission = await admit(incident, plan, deps);
      if (admission.held) {
        plan = admission.plan;
        transition = holdTransition(record, plan, incident.source === 'approved');
      } else {
        taken = admission.taken;
        // What the attacker made took no slot, or was taken out of the count: the alert and the story say so.
        if (admission.uncounted !== undefined) {
          plan = { ...plan, explanation: `${plan.explanation}; ${admission.uncounted}` };
          transition = { ...transition, explanation: `${transition.explanation}; ${admission.uncounted}` };
        }
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
    const settling: Settling = transition;
    const executed = await execute(settling, incident, plan, decision.facts, deps);
    return await finish({ key, ...decision, plan, transition: settling, executed, record, guarded: claim.guarded, taken, attempt }, deps);
  } catch (error) {
    await attempt.release();
    throw error;
  }
}
