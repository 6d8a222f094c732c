import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { reportingSteps } from '../../actions/ContainmentAction';
import { type CredentialRecord, type ResponseLevel, storedResponseOf, strongerOf } from '../../decide/CredentialRecord';
import { CredentialBusyError, NotificationFailedError } from '../../domain/errors';
import type { AnsweredIncident, IncidentResponse } from '../../domain/IncidentResponse';
import type { Deps } from '../Deps';

/**
 * The parts of one attempt on a credential that every kind of response shares (a report, a tamper report, a release):
 * claiming the credential, saving its record, committing a response with its alert, re-sending an alert left pending,
 * and reporting. Every use-case (respond, the tamper guard, release) builds its phases from these.
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

/**
 * The claimed attempt: saving the record, committing a response with its alert, releasing. Writes and releases are
 * no-ops without a claim (no state store, or one that could not be reached), and never fail the response.
 */
export function attemptOn(key: string, token: string | undefined, deps: Deps) {
  // The claim this attempt holds: none without a token (no state store, or one that could not be reached).
  const held = token === undefined || deps.state === undefined ? undefined : { state: deps.state, token };
  let open = held !== undefined;
  const attempt = {
    async save(record: CredentialRecord, { release }: { release: boolean }) {
      if (!open || held === undefined) return;
      try {
        await held.state.save(key, held.token, record, deps.now(), { release });
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
      if (!open || held === undefined) return;
      open = false;
      await held.state
        .release(key, held.token)
        .catch((error: unknown) => deps.logger.error('could not release the credential', { key, error }));
    },
    /**
     * Recorded with the alert pending, then the alert, then recorded as told (`told`, default: as recorded) and the
     * attempt released. If this invocation dies in between, whoever claims the credential next sends the alert; the
     * attempt is kept until it is out. An alert that did not go out fails the response (NotificationFailedError).
     */
    async commitWithAlert(recorded: CredentialRecord, response: AnsweredIncident, told: CredentialRecord = recorded) {
      await attempt.save({ ...recorded, pendingAlert: storedResponseOf(response, deps.now()) }, { release: false });
      const final = await report(response, deps);
      if (notifyFailed(final)) throw new NotificationFailedError(final);
      await attempt.save(told, { release: true });
      return final;
    },
    /** The alert of an earlier response never went out (its invocation failed or died): it goes out first, now. */
    async resendPending(record: CredentialRecord): Promise<{ record: CredentialRecord; resent?: AnsweredIncident }> {
      const stored = record.pendingAlert;
      if (stored === undefined) return { record };
      const response: AnsweredIncident = {
        outcome: stored.outcome,
        reason: stored.reason,
        explanation: stored.explanation,
        incident: stored.incident,
        policy: stored.policy,
        actions: stored.actions.filter((a) => !isReportingStep(a.type)),
      };
      const final = await report(response, deps);
      if (notifyFailed(final)) throw new NotificationFailedError(final);
      const level: ResponseLevel = stored.outcome === 'contained' || stored.outcome === 'gone' ? 'contained' : 'alerted';
      const { pendingAlert: _sent, ...rest } = record;
      const updated = { ...rest, alerted: strongerOf(record.alerted, level), updatedAt: deps.now().toISOString() };
      await attempt.save(updated, { release: false });
      return { record: updated, resent: final };
    },
  };
  return attempt;
}
export type Attempt = ReturnType<typeof attemptOn>;

const isReportingStep = (type: string) => (reportingSteps as readonly string[]).includes(type);

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
