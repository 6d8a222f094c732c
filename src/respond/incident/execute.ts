import type { ActionResult } from '../../actions/ContainmentAction';
import { containmentActions } from '../../actions/containmentActions';
import type { ResponseLevel } from '../../decide/CredentialRecord';
import type { Transition } from '../../decide/nextResponse';
import type { ResponsePlan } from '../../decide/planResponse';
import { type CredentialIncident, iamPrincipalOf } from '../../domain/CredentialIncident';
import { failureKindOf, messageOf } from '../../domain/errors';
import type { IncidentResponse } from '../../domain/IncidentResponse';
import type { LiveFacts } from '../../facts/gatherFacts';
import { readKeyOwner } from '../../facts/readAccessKey';
import { readPrincipal } from '../../facts/readPrincipal';
import type { Deps } from '../Deps';
import { failureOf } from '../plumbing/failureOf';
import { runSteps, type StepsRun } from '../plumbing/runSteps';
import { followCreations, followWhatItMade } from './followCreations';

/** What a transition came to: the outcome the response reports, and the level it achieved. */
export interface Executed {
  outcome: IncidentResponse['outcome'];
  reason: IncidentResponse['reason'];
  explanation: string;
  level: ResponseLevel;
  actions: ActionResult[];
  /** A transient failure: the invocation fails after alerting, so Lambda retries it. */
  retry: boolean;
}

/** A transition that changes or tells something (not a duplicate, not a retry). */
export type Settling = Exclude<Transition, { kind: 'duplicate' | 'retry' }>;

export async function execute(
  transition: Settling,
  incident: CredentialIncident,
  plan: ResponsePlan,
  facts: LiveFacts,
  deps: Deps,
): Promise<Executed> {
  if (transition.kind === 'report') {
    const { follow, ...report } = transition;
    const described: StepsRun = { results: describeSteps(incident, plan), failures: [] };
    // A gone key's persistence is still there: followed (its failures are in the actions; nothing to retry of the key).
    const { results } = follow ? await followWhatItMade(incident, described, deps) : described;
    return { ...report, actions: results, retry: false };
  }
  return outcomeOf(transition, incident, plan, await containmentSteps(incident, plan, facts, deps), deps);
}

/** Runs the plan's steps; a key already Inactive is not written again. */
export function containmentSteps(
  incident: CredentialIncident,
  plan: ResponsePlan,
  facts: LiveFacts,
  deps: Deps,
  options: { haltOn?: (error: unknown) => boolean } = {},
): Promise<StepsRun> {
  return runSteps(
    plan.steps.map((step) => step.type),
    incident,
    deps,
    {
      ...options,
      skip: (type) =>
        type === 'deactivate-access-key' && facts.keyStatus === 'Inactive'
          ? 'the key was already Inactive (deactivated before Keystop acted): not written again'
          : undefined,
    },
  );
}

/** What the steps of an `act` transition came to: contained, or a failure to retry, refused, or a credential gone. */
export async function outcomeOf(
  transition: Extract<Transition, { kind: 'act' }>,
  incident: CredentialIncident,
  plan: ResponsePlan,
  steps: StepsRun,
  deps: Deps,
): Promise<Executed> {
  // What the key made is contained with it, after its own write (both paths come here once the key is cut off).
  const { results, failures } = await followCreations(incident, steps, deps);
  const contained: Executed = {
    outcome: 'contained',
    reason: transition.reason,
    explanation: transition.explanation,
    level: 'contained',
    actions: results,
    retry: false,
  };
  const failure = failureOf(failures);
  if (failure === undefined) return contained;
  const retried: Executed = {
    ...contained,
    outcome: 'failed',
    reason: 'containment-failed',
    explanation: `a containment step failed and will be retried; ${plan.explanation}`,
    retry: true,
  };
  if (failure === 'transient') return retried;
  if (failure === 'denied') {
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
