import { type ActionResult, FOLLOW_STEP } from '../../actions/ContainmentAction';
import { followCreation, followSkipped } from '../../actions/followCreation';
import { followActOf, followHeldBy } from '../../decide/followPlan';
import type { Creation, ListedCreation } from '../../domain/Creation';
import type { CredentialIncident } from '../../domain/CredentialIncident';
import { failureKindOf, messageOf } from '../../domain/errors';
import { currentFormOf } from '../../facts/currentFormOf';
import { undoCommandOf } from '../../sources/creationsOf';
import type { Deps } from '../Deps';
import type { StepsRun } from '../plumbing/runSteps';

/**
 * Containment follows the attacker: once a long-term key is cut off, what that key made in IAM is contained with it
 * (src/decide/followPlan.ts says what each thing gets), each step recorded beside the containment's own, so that the
 * one alert lists it and `keystop release` undoes it. Only what the key's own calls made is touched: a key of the same
 * user made by someone else stays as it is. Nothing here runs before the key's own write: it cannot delay it.
 */
export async function followCreations(incident: CredentialIncident, run: StepsRun, deps: Deps): Promise<StepsRun> {
  // Followed whenever the key is out of the attacker's hands: deactivated now, found Inactive already, or deleted. An
  // attacker who plants a key elsewhere and then deactivates or deletes the leaked one must not escape the follow.
  const keyStep = run.results.find((r) => r.type === 'deactivate-access-key');
  const gone = keyStep?.status === 'failed' && run.failures.some((error) => failureKindOf(error) === 'gone');
  const outOfReach = keyStep !== undefined && (keyStep.status === 'done' || keyStep.status === 'skipped' || gone);
  return outOfReach ? followWhatItMade(incident, run, deps) : run;
}

/**
 * Follows what the contained long-term key made, its steps added to `run`'s: for a key cut off by `run`, and for a key
 * found deleted before any step (the `credential-gone` transition, src/decide/nextResponse.ts): what it made is still
 * there. The same rails hold for each followed principal (followHeldBy).
 */
export async function followWhatItMade(incident: CredentialIncident, run: StepsRun, deps: Deps): Promise<StepsRun> {
  const { credential } = incident;
  if (deps.creations === undefined || credential.kind !== 'long-term-key') return run;
  const found = await deps.creations.createdBy(incident.accountId, credential.accessKeyId, deps.now());
  // The key itself (a key that made itself is the one reported) is contained already.
  const creations = found.creations.filter((c) => !(c.kind === 'access-key' && c.accessKeyId === credential.accessKeyId));
  const results: ActionResult[] = [];
  const failures: unknown[] = [];
  for (const creation of creations) {
    try {
      results.push(await followOne(creation, found.creations, incident, deps));
    } catch (error) {
      deps.logger.error('following a creation failed', { incidentId: incident.id, creation, error });
      failures.push(error);
      results.push({ ...followSkipped(creation, messageOf(error)), status: 'failed' });
    }
  }
  // Nothing made and every source answered: nothing to tell (the alert stays as it was).
  if (creations.length === 0 && found.complete) return run;
  const summary: ActionResult = {
    type: FOLLOW_STEP,
    status: creations.length > 0 ? 'done' : 'skipped',
    target: credential.accessKeyId,
    reason:
      `what ${credential.accessKeyId} made in IAM: ${creations.length} found (${found.sources.join('; ')})` +
      (found.complete
        ? ''
        : `; ACTION NEEDED: the list may be incomplete, look in CloudTrail for what ${credential.accessKeyId} made and contain the rest by hand`),
    at: deps.now().toISOString(),
  };
  return { results: [...run.results, summary, ...results], failures: [...run.failures, ...failures] };
}

async function followOne(creation: Creation, made: readonly Creation[], creator: CredentialIncident, deps: Deps): Promise<ActionResult> {
  if (followActOf(creation) === 'list') {
    const listedOnly = creation as ListedCreation;
    const what =
      listedOnly.kind === 'login-profile'
        ? `console password of user ${listedOnly.userName} ${listedOnly.change}`
        : listedOnly.kind === 'user-renamed'
          ? `user ${listedOnly.userName} renamed ${listedOnly.newUserName}`
          : `policy ${listedOnly.policy} ${listedOnly.how === 'attached' ? 'attached to' : 'written on'} ${listedOnly.on} ${listedOnly.name}`;
    return followSkipped(creation, `${what} by the contained key at ${creation.at}; to undo: ${undoCommandOf(listedOnly)}`);
  }
  const clients = deps.clientsFor(creator);
  // Followed as it is now: a renamed user by its id, a key by its own id (src/facts/currentFormOf.ts).
  const current = await currentFormOf(creation, made, clients.iam);
  if ('gone' in current) return followSkipped(creation, current.gone);
  const held = followHeldBy(current.creation, creator, deps.guardrails, current.live);
  if (held !== undefined) return followSkipped(current.creation, held);
  const result = await followCreation(current.creation, clients, deps.now());
  return current.renamed === undefined ? result : { ...result, reason: `${result.reason} (${current.renamed})` };
}
