import type { ActionResult } from './actions/ContainmentAction';
import { containmentActions } from './actions/containmentActions';
import { readPrincipalTags } from './actions/readPrincipalTags';
import type { Deps } from './Deps';
import { ContainmentFailedError, messageOf, NotificationFailedError } from './errors';
import type { AdaptedEvent } from './events/AdaptedEvent';
import { iamPrincipalOf, type CredentialIncident } from './events/CredentialIncident';
import type { IncidentResponse } from './IncidentResponse';
import { formatAlert } from './notify/formatAlert';
import { planResponse, type ResponsePlan } from './policies/planResponse';

/**
 * The response to one event: for each incident, plan (pure), contain (the first AWS call), then alert.
 * Throws when containment or the alert failed, after alerting what it could, so the event is retried.
 */
export async function respond(adapted: AdaptedEvent, deps: Deps): Promise<IncidentResponse[]> {
  if (adapted.kind === 'ignored') {
    deps.logger.info('event ignored: not a credential compromise Keystop acts on', {
      reason: adapted.reason,
      detail: adapted.detail,
    });
    return [
      { outcome: 'ignored', reason: adapted.reason, explanation: adapted.detail, incident: null, policy: undefined, actions: [] },
    ];
  }
  const responses: IncidentResponse[] = [];
  for (const incident of adapted.incidents) {
    responses.push(await respondToIncident(incident, deps));
  }
  return responses;
}

async function respondToIncident(incident: CredentialIncident, deps: Deps): Promise<IncidentResponse> {
  const plan = await planWithExemptionTag(incident, deps);
  const actions = await containmentSteps(incident, plan, deps);
  const failed = actions.some((a) => a.status === 'failed');
  const contained = actions.some((a) => a.status === 'done');
  const response: IncidentResponse & { incident: CredentialIncident } = {
    outcome: failed ? 'failed' : contained ? 'contained' : 'notified',
    reason: failed ? 'containment-failed' : plan.reason,
    explanation: failed ? `a containment step failed; ${plan.explanation}` : plan.explanation,
    incident,
    policy: plan.policy,
    actions,
  };
  const notified = await notify(response, deps);
  const final = { ...response, actions: [...actions, notified] };
  deps.logger[failed ? 'error' : 'info']('incident handled', {
    incidentId: incident.id,
    outcome: final.outcome,
    reason: final.reason,
    actions: final.actions,
  });
  if (failed) throw new ContainmentFailedError(final);
  if (notified.status === 'failed') throw new NotificationFailedError(final);
  return final;
}

/**
 * Plans; and when the plan would touch a user or role, reads the exemption tag live from IAM first and plans again
 * with it. An unreadable tag does not hold containment back: the alert says the tag could not be read.
 */
async function planWithExemptionTag(incident: CredentialIncident, deps: Deps): Promise<ResponsePlan> {
  const plan = planResponse(deps.policies, incident, deps.guardrails);
  const principal = iamPrincipalOf(incident.credential);
  const wouldAct = plan.reason === 'matched' || plan.reason === 'dry-run';
  if (deps.guardrails.exemptTag === undefined || principal === undefined || !wouldAct) return plan;
  try {
    return planResponse(deps.policies, incident, deps.guardrails, await readPrincipalTags(deps.clientsFor(incident).iam, principal));
  } catch (error) {
    deps.logger.warn('could not read the exemption tag; containing anyway', { incidentId: incident.id, error });
    return { ...plan, explanation: `${plan.explanation} (the exemption tag could not be read: ${messageOf(error)})` };
  }
}

/**
 * Runs (or, when the plan holds them back, only reports) each step that applies to this credential. Steps that
 * cannot apply are reported only when nothing else could be done, to say why nothing was.
 */
async function containmentSteps(incident: CredentialIncident, plan: ResponsePlan, deps: Deps): Promise<ActionResult[]> {
  if (plan.steps.length === 0) {
    const reason = `cannot act on a ${incident.credential.kind}`;
    return plan.inapplicable.map((step) => ({ type: step.type, status: 'skipped', target: 'none', reason }));
  }
  const results: ActionResult[] = [];
  for (const step of plan.steps) {
    const action = containmentActions[step.type];
    if (!plan.execute) {
      const reason = `${plan.reason}: would ${action.describe(incident)}`;
      results.push({ type: step.type, status: 'skipped', target: action.targetOf(incident), reason });
      continue;
    }
    try {
      results.push({ type: step.type, ...(await action.run({ incident, now: deps.now() }, deps.clientsFor(incident))) });
    } catch (error) {
      deps.logger.error('containment step failed', { incidentId: incident.id, action: step.type, error });
      results.push({ type: step.type, status: 'failed', target: action.targetOf(incident), reason: messageOf(error) });
    }
  }
  return results;
}

async function notify(response: IncidentResponse & { incident: CredentialIncident }, deps: Deps): Promise<ActionResult> {
  const target = deps.notifier.destination;
  try {
    await deps.notifier.publish(formatAlert(response));
    return { type: 'notify', status: 'done', target, reason: 'alert published' };
  } catch (error) {
    deps.logger.error('could not publish the alert', { incidentId: response.incident.id, error });
    return { type: 'notify', status: 'failed', target, reason: messageOf(error) };
  }
}
