import type { ActionResult } from './actions/ContainmentAction';
import { containmentActions } from './actions/containmentActions';
import { readAccessKeyStatus, readKeyOwner } from './actions/readAccessKeyStatus';
import { readPrincipal } from './actions/readPrincipal';
import type { Deps } from './Deps';
import { ContainmentFailedError, messageOf, NotificationFailedError } from './errors';
import type { AdaptedEvent } from './events/AdaptedEvent';
import { iamPrincipalOf, type CredentialIncident } from './events/CredentialIncident';
import type { IncidentResponse } from './IncidentResponse';
import { formatAlert } from './notify/formatAlert';
import { formatBreakerAlert } from './notify/formatBreakerAlert';
import { needsPrincipalFacts } from './policies/Guardrails';
import { holdForBreaker, planResponse, type ResponsePlan } from './policies/planResponse';
import { credentialKey } from './state/credentialKey';
import type { Claim, CredentialRecord } from './state/StateStore';

type Response = IncidentResponse & { incident: CredentialIncident };

/** What is read live before acting: the key's owner if the report did not name it, its tags, the key's status. */
interface LiveFacts {
  incident: CredentialIncident;
  tags?: Record<string, string>;
  keyStatus?: string;
}

/**
 * The response to one event: for each incident, claim the credential and read the guardrail facts (in parallel),
 * plan (pure), contain, then alert. Repeats of a credential already handled end as `duplicate`, unless its key was
 * re-enabled. Throws when containment or the alert failed, after alerting what it could, so the event is retried.
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
  const now = deps.now();
  const key = credentialKey(incident);
  const initial = planResponse(deps.policies, incident, deps.guardrails);
  const [claim, facts] = await Promise.all([claimCredential(key, incident, deps, now), readLiveFacts(incident, initial, deps)]);
  if (claim.kind === 'repeat') return respondToRepeat(facts.incident, claim.record, deps);
  const plan = facts.tags ? planResponse(deps.policies, facts.incident, deps.guardrails, facts.tags) : initial;
  return carryOut(facts.incident, await applyBreaker(plan, incident, deps, now), facts, key, deps);
}

/**
 * A state store that cannot be reached must not stop containment: the cost is a possible duplicate alert, against
 * a leaked key left active.
 */
async function claimCredential(key: string, incident: CredentialIncident, deps: Deps, now: Date): Promise<Claim> {
  if (deps.state === undefined) return { kind: 'fresh' };
  try {
    return await deps.state.claim(key, incident.id, now);
  } catch (error) {
    deps.logger.error('de-duplication state unavailable; responding without it', { incidentId: incident.id, error });
    return { kind: 'fresh' };
  }
}

/**
 * Reads, when the plan would act: the owner of a key the report did not name (so that the exemption tag is checked
 * and the alert names the user), then at once the exemption tag and, for a long-term key, its current status (an
 * already inactive key is not written again). A failed read never holds containment back; the log says so.
 */
async function readLiveFacts(reported: CredentialIncident, plan: ResponsePlan, deps: Deps): Promise<LiveFacts> {
  if (!(plan.reason === 'matched' || plan.reason === 'dry-run')) return { incident: reported };
  const { iam } = deps.clientsFor(reported);
  const unavailable = (what: string) => (error: unknown) => {
    deps.logger.warn(`could not read ${what}; going on without it`, { incidentId: reported.id, error });
    return undefined;
  };
  let incident = reported;
  const { credential } = reported;
  if (credential.kind === 'long-term-key' && credential.userName === undefined) {
    const owner = await readKeyOwner(iam, credential.accessKeyId).catch(unavailable('the owner of the key'));
    if (owner) incident = { ...reported, credential: { ...credential, userName: owner } };
  }
  const principal = iamPrincipalOf(incident.credential);
  const key = incident.credential;
  const [principalFacts, keyStatus] = await Promise.all([
    needsPrincipalFacts(deps.guardrails) && principal
      ? readPrincipal(iam, principal).catch(unavailable('the principal (exemption tag, path)'))
      : undefined,
    key.kind === 'long-term-key' && key.userName && deps.state !== undefined
      ? readAccessKeyStatus(iam, key.accessKeyId, key.userName).catch(unavailable('the key status'))
      : undefined,
  ]);
  if (principalFacts?.path !== undefined) incident = { ...incident, principalPath: principalFacts.path };
  const tags = principalFacts?.tags;
  return { incident, ...(tags ? { tags } : {}), ...(keyStatus ? { keyStatus } : {}) };
}

/** Counts an automatic containment against the account's breaker; an open breaker turns the plan into an alert. */
async function applyBreaker(plan: ResponsePlan, incident: CredentialIncident, deps: Deps, now: Date): Promise<ResponsePlan> {
  if (!plan.execute || plan.bypassBreaker || deps.state === undefined) return plan;
  let admission;
  try {
    admission = await deps.state.admit(incident.accountId, now);
  } catch (error) {
    deps.logger.error('breaker state unavailable; containing without it', { incidentId: incident.id, error });
    return { ...plan, explanation: `${plan.explanation} (the blast-radius breaker could not be checked: ${messageOf(error)})` };
  }
  if (admission.admitted) return plan;
  if (admission.justOpened) {
    await deps.notifier.publish(formatBreakerAlert(incident.accountId, admission.count, now)).catch((error: unknown) => {
      deps.logger.error('could not publish the breaker-open alert', { accountId: incident.accountId, error });
    });
  }
  return holdForBreaker(plan, admission.count);
}

async function carryOut(
  incident: CredentialIncident,
  plan: ResponsePlan,
  facts: LiveFacts,
  key: string,
  deps: Deps,
  reenabled = false,
): Promise<IncidentResponse> {
  const actions = await containmentSteps(incident, plan, facts, deps);
  const failed = actions.some((a) => a.status === 'failed');
  const contained = actions.some((a) => a.status === 'done') || (plan.execute && facts.keyStatus === 'Inactive');
  const response: Response = {
    outcome: failed ? 'failed' : contained ? 'contained' : 'notified',
    reason: failed ? 'containment-failed' : reenabled ? 'key-re-enabled' : plan.reason,
    explanation: failed
      ? `a containment step failed; ${plan.explanation}`
      : reenabled
        ? `the key was found Active again after Keystop had deactivated it (someone re-enabled it), so it was contained again; ${plan.explanation}`
        : plan.explanation,
    incident,
    policy: plan.policy,
    actions,
  };
  if (failed) {
    // Drop the claim so that Lambda's retry tries the containment again instead of seeing a duplicate.
    await deps.state?.release(key).catch((error: unknown) => deps.logger.error('could not release the claim', { key, error }));
  } else {
    await deps.state
      ?.recordResponse(key, response, deps.now())
      .catch((error: unknown) => deps.logger.error('could not record the response; alerting anyway', { key, error }));
  }
  return finish(response, key, deps);
}

/** Alerts, logs, marks the alert sent, and fails the invocation when containment or the alert failed. */
async function finish(response: Response, key: string, deps: Deps): Promise<IncidentResponse> {
  // The alert, what the key did, the finding note and the audit event: all after containment, never before.
  const reported = await deps.reporter.report(response);
  const notified = reported.find((a) => a.type === 'notify')!;
  const final = { ...response, actions: [...response.actions, ...reported] };
  const failed = response.outcome === 'failed';
  deps.logger[failed ? 'error' : 'info']('incident handled', {
    incidentId: response.incident.id,
    outcome: final.outcome,
    reason: final.reason,
    actions: final.actions,
  });
  if (failed) throw new ContainmentFailedError(final);
  if (notified.status === 'failed') {
    await deps.state?.markAlertFailed(key).catch((error: unknown) => deps.logger.warn('could not mark the alert failed', { key, error }));
    throw new NotificationFailedError(final);
  }
  await deps.state?.markAlertSent(key).catch((error: unknown) => deps.logger.warn('could not mark the alert sent', { key, error }));
  return final;
}

/**
 * A credential already handled within the window: a re-delivery, an update of the finding, another source or the
 * backup region. One alert and one containment per credential: the repeat is `duplicate` — unless the alert never
 * went out (it is sent now, without containing again) or the key is Active again (it is contained again).
 */
async function respondToRepeat(incident: CredentialIncident, record: CredentialRecord, deps: Deps): Promise<IncidentResponse> {
  const key = record.key;
  if (record.response && record.resendAlert) {
    const stored = { ...record.response, incident: record.response.incident ?? incident } as Response;
    return finish({ ...stored, actions: stored.actions.filter((a) => a.type !== 'notify') }, key, deps);
  }
  if (record.state === 'responded' && record.response?.outcome === 'contained' && incident.credential.kind === 'long-term-key') {
    const { accessKeyId, userName } = incident.credential;
    const owner = userName ?? (await readKeyOwner(deps.clientsFor(incident).iam, accessKeyId).catch(() => undefined));
    const status = owner ? await readAccessKeyStatus(deps.clientsFor(incident).iam, accessKeyId, owner).catch(() => undefined) : undefined;
    if (status === 'Active') {
      const plan = planResponse(deps.policies, incident, deps.guardrails);
      const facts = { incident, keyStatus: status };
      return carryOut(incident, await applyBreaker(plan, incident, deps, deps.now()), facts, key, deps, true);
    }
  }
  const explanation =
    record.state === 'in-progress' || !record.alertSent
      ? `another invocation is responding to this credential right now (incident ${record.incidentId})`
      : `already handled as incident ${record.incidentId} (outcome ${record.response?.outcome ?? 'unknown'}); ` +
        'no second containment and no second alert';
  deps.logger.info('duplicate report of a credential already handled', { incidentId: incident.id, key, explanation });
  return { outcome: 'duplicate', reason: 'duplicate-report', explanation, incident, policy: record.response?.policy, actions: [] };
}

/**
 * Runs (or, when the plan holds them back, only reports) each step that applies to this credential. Steps that
 * cannot apply are reported only when nothing else could be done, to say why nothing was.
 */
async function containmentSteps(
  incident: CredentialIncident,
  plan: ResponsePlan,
  facts: LiveFacts,
  deps: Deps,
): Promise<ActionResult[]> {
  if (plan.steps.length === 0) {
    const reason = `cannot act on a ${incident.credential.kind}`;
    return plan.inapplicable.map((step) => ({ type: step.type, status: 'skipped', target: 'none', reason }));
  }
  const results: ActionResult[] = [];
  for (const step of plan.steps) {
    const action = containmentActions[step.type];
    const target = action.targetOf(incident);
    if (!plan.execute) {
      results.push({ type: step.type, status: 'skipped', target, reason: `${plan.reason}: would ${action.describe(incident)}` });
      continue;
    }
    if (step.type === 'deactivate-access-key' && facts.keyStatus === 'Inactive') {
      const reason = 'the key was already Inactive (deactivated before Keystop acted): not written again';
      results.push({ type: step.type, status: 'skipped', target, reason });
      continue;
    }
    try {
      const result = await action.run({ incident, now: deps.now() }, deps.clientsFor(incident));
      results.push({ type: step.type, ...result, at: deps.now().toISOString() });
    } catch (error) {
      deps.logger.error('containment step failed', { incidentId: incident.id, action: step.type, error });
      results.push({ type: step.type, status: 'failed', target, reason: messageOf(error) });
    }
  }
  return results;
}
