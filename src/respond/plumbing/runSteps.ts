import type { ActionType } from '../../actions/actionCatalog';
import type { ActionResult } from '../../actions/ContainmentAction';
import { containmentActions } from '../../actions/containmentActions';
import type { CredentialIncident } from '../../domain/CredentialIncident';
import { messageOf } from '../../domain/errors';
import type { Deps } from '../Deps';

/** What a run of steps came to: each step's result, and the errors of the ones that failed. */
export interface StepsRun {
  results: ActionResult[];
  failures: unknown[];
}

/**
 * The one step runner: each step against the credential's account, in order. A step `skip` names a reason for is
 * reported as skipped, not run; a failed step is reported and the next one runs, unless `haltOn` says stop.
 */
export async function runSteps(
  steps: readonly ActionType[],
  incident: CredentialIncident,
  deps: Deps,
  {
    skip,
    haltOn,
    failed = 'containment step failed',
  }: {
    /** Why a step is not run (undefined: it runs). */
    skip?: (type: ActionType) => string | undefined;
    /** A failure after which no further step runs. */
    haltOn?: (error: unknown) => boolean;
    /** What the log says of a failed step. */
    failed?: string;
  } = {},
): Promise<StepsRun> {
  const results: ActionResult[] = [];
  const failures: unknown[] = [];
  for (const type of steps) {
    const action = containmentActions[type];
    const target = action.targetOf(incident);
    const skipped = skip?.(type);
    if (skipped !== undefined) {
      results.push({ type, status: 'skipped', target, reason: skipped });
      continue;
    }
    try {
      const result = await action.run({ incident, now: deps.now() }, deps.clientsFor(incident));
      results.push({ type, ...result, at: deps.now().toISOString() });
    } catch (error) {
      deps.logger.error(failed, { incidentId: incident.id, action: type, error });
      failures.push(error);
      results.push({ type, status: 'failed', target, reason: messageOf(error) });
      if (haltOn?.(error)) break;
    }
  }
  return { results, failures };
}
