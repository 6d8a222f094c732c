import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { CredentialRecord } from '../decide/CredentialRecord';
import { CredentialBusyError } from '../domain/errors';
import type { AnsweredIncident, IncidentResponse } from '../domain/IncidentResponse';
import type { Deps } from './Deps';

/**
 * The parts of one attempt on a credential that every kind of response shares (a report, a tamper report, a release):
 * claiming the credential, saving its record, and reporting. respond.ts, respondToTampering.ts and
 * releaseContainment.ts build their phases from these.
 */

/** How long a report waits for another invocation that holds the same credential before it fails to be retried. */
const DEFAULT_BUSY_WAIT_MS = 10_000;

export const notifyFailed = (response: IncidentResponse) => response.actions.find((a) => a.type === 'notify')?.status === 'failed';

// ————————————————————————————————————————— claim ——————————————————————————————————————————

/**
 * Takes the credential for this attempt. While another invocation holds it, waits a little for it to finish;
 * if it does not, fails (CredentialBusyError) so that Lambda retries later — never a silent "duplicate". A state
 * store that cannot be reached must not stop containment: the cost is a possible second alert, against a leaked
 * key left active.
 */
export async function claimCredential(
  key: string,
  incident: { id: string },
  deps: Deps,
): Promise<{ token?: string; record?: CredentialRecord; guarded?: CredentialRecord; waited?: boolean }> {
  if (deps.state === undefined) return {};
  // The wait is the sum of the pauses slept on the deps' clock: no wall-clock reading, and a test's clock that stands
  // still cannot make it wait forever.
  const budget = deps.busyWaitMs ?? DEFAULT_BUSY_WAIT_MS;
  for (let pause = 50, slept = 0; ; slept += pause, pause = Math.min(pause * 2, 1_000)) {
    const waited = slept > 0;
    let claim: Awaited<ReturnType<NonNullable<Deps['state']>['claim']>>;
    try {
      claim = await deps.state.claim(key, incident.id, deps.now());
    } catch (error) {
      deps.logger.error('credential state unavailable; responding without it', { incidentId: incident.id, error });
      return {};
    }
    if (claim.kind === 'claimed') {
      return {
        token: claim.token,
        waited,
        ...(claim.record ? { record: claim.record } : {}),
        ...(claim.guarded ? { guarded: claim.guarded } : {}),
      };
    }
    if (slept + pause > budget) throw new CredentialBusyError(incident.id, claim.incidentId);
    await deps.sleep(pause);
  }
}

/** The claimed attempt: writes and releases are no-ops without a state store, and never fail the response. */
export function attemptOn(key: string, token: string | undefined, deps: Deps) {
  const state = token === undefined ? undefined : deps.state;
  let open = state !== undefined;
  return {
    async save(record: CredentialRecord, { release }: { release: boolean }) {
      if (!open) return;
      try {
        await state!.save(key, token!, record, deps.now(), { release });
        if (release) open = false;
      } catch (error) {
        // Another invocation took the credential over (this one outlived its lease): it answers for it now.
        if (error instanceof ConditionalCheckFailedException) {
          open = false;
          throw new CredentialBusyError(key, 'an invocation that took over this attempt');
        }
        deps.logger.error('could not record the response; going on', { key, error });
      }
    },
    async release() {
      if (!open) return;
      open = false;
      await state!.release(key, token!).catch((error: unknown) => deps.logger.error('could not release the credential', { key, error }));
    },
  };
}
export type Attempt = ReturnType<typeof attemptOn>;

// ————————————————————————————————————————— report —————————————————————————————————————————

/** The alert, what the key did, the finding note and the audit event: all after containment, never before. */
export async function report(response: AnsweredIncident, deps: Deps): Promise<AnsweredIncident> {
  const reported = await deps.reporter.report(response);
  return logged({ ...response, actions: [...response.actions, ...reported] }, deps);
}

export function logged<T extends AnsweredIncident>(response: T, deps: Deps): T {
  deps.logger[response.outcome === 'failed' ? 'error' : 'info']('incident handled', {
    incidentId: response.incident.id,
    outcome: response.outcome,
    reason: response.reason,
    actions: response.actions,
  });
  return response;
}
