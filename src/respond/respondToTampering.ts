import type { ActionType } from '../actions/actionCatalog';
import { containmentActions } from '../actions/containmentActions';
import { followSkipped, recontainFollowed } from '../actions/followCreation';
import { type CredentialRecord, stepsDone, storedResponseOf, withDone } from '../decide/CredentialRecord';
import { followedBehind } from '../decide/followedGuard';
import { followedPrincipal } from '../decide/followPlan';
import { mayActIn } from '../decide/Guardrails';
import { tamperTransition } from '../decide/nextResponse';
import type { GUARD_ACTIONS } from '../decide/requiredPermissions';
import type { Creation } from '../domain/Creation';
import type { CredentialIncident } from '../domain/CredentialIncident';
import { ContainmentFailedError, messageOf } from '../domain/errors';
import type { AnsweredIncident, IncidentResponse } from '../domain/IncidentResponse';
import { accessKeyRecordKey, principalRef } from '../domain/identifiers';
import type { TamperReport } from '../domain/TamperReport';
import type { Deps, StatefulDeps } from './Deps';
import { attemptOn, claimCredential } from './plumbing/credentialAttempt';
import { failureOf } from './plumbing/failureOf';
import { runSteps, type StepsRun } from './plumbing/runSteps';
import { settleEach } from './plumbing/settleEach';

/**
 * The tamper guard: each change to IAM that may undo a containment Keystop made, against the record of the credential
 * it touches, in the same phases as a report (claim → transition → execute → record → report). One failure at the end.
 */
export async function respondToTampering(reports: readonly TamperReport[], deps: Deps): Promise<IncidentResponse[]> {
  const { state } = deps;
  if (state === undefined)
    return reports.map(() => unguarded('the tamper guard needs the state table: nothing is known of earlier containments'));
  return settleEach(reports, (tamper) => guard(tamper, { ...deps, state }));
}

const unguarded = (explanation: string): IncidentResponse => ({
  outcome: 'ignored',
  reason: 'not-guarded',
  explanation,
  incident: null,
  policy: undefined,
  actions: [],
});

/** A record the change touches: the credential's own, or the record of the key whose follow changed the thing touched. */
interface Touched {
  key: string;
  /** The change is to something Keystop followed from this record's key (src/decide/followedGuard.ts). */
  followed?: Creation;
}

/** The credentials the change touches that Keystop may have contained: the key itself, or the principal's. */
async function touchedRecords(tamper: TamperReport, deps: StatefulDeps): Promise<Touched[]> {
  if (tamper.change === 'key-re-enabled') {
    if (!tamper.accessKeyId) return [];
    const own = accessKeyRecordKey(tamper.accountId, tamper.accessKeyId);
    const { record, guarded } = await deps.state.read(own, deps.now());
    if (record !== undefined || guarded !== undefined) return [{ key: own }];
    return (await followedTouched(tamper, `key/${tamper.accessKeyId}`, deps)) ?? [{ key: own }];
  }
  const records = await deps.state.guarded(tamper.accountId, principalRef(tamper.principal), deps.now());
  // The deny policy is one per principal, and so is a new key or password: one record (the newest) answers for it.
  const relevant = tamper.change === 'deny-policy-removed' ? records.filter((r) => hasDone(r, 'revoke-sessions')) : records;
  if (relevant.length === 0 && tamper.change === 'deny-policy-removed')
    return (await followedTouched(tamper, principalRef(tamper.principal), deps)) ?? [];
  return relevant.slice(0, 1).map((r) => ({ key: r.key }));
}

/** The newest guarded record whose follow changed what `ref` names (a key, a user's or role's deny), if any. */
async function followedTouched(tamper: TamperReport, ref: string, deps: StatefulDeps): Promise<Touched[] | undefined> {
  for (const record of await deps.state.followedBy(tamper.accountId, ref, deps.now())) {
    const followed = followedBehind(record, ref);
    if (followed !== undefined) return [{ key: record.key, followed }];
  }
  return undefined;
}

/** Matched against what Keystop did to the credential, whatever responses (a warning, a failed restore) came after. */
const hasDone = (record: CredentialRecord, type: ActionType) => stepsDone(record).some((a) => a.type === type);

async function guard(tamper: TamperReport, deps: StatefulDeps): Promise<IncidentResponse[]> {
  const touched = await touchedRecords(tamper, deps);
  if (touched.length === 0) {
    deps.logger.info('IAM change about a credential Keystop does not guard', { tamperId: tamper.id, api: tamper.api, actor: tamper.actor });
    return [
      unguarded(`${tamper.api} by ${tamper.actor}: Keystop guards no containment of ${tamper.principal.kind} ${tamper.principal.name}`),
    ];
  }
  const responses: IncidentResponse[] = [];
  for (const one of touched) responses.push(await guardOne(one, tamper, deps));
  return responses;
}

async function guardOne({ key, followed }: Touched, tamper: TamperReport, deps: Deps): Promise<IncidentResponse> {
  const claim = await claimCredential(key, tamper, deps);
  const attempt = attemptOn(key, claim.token, deps);
  try {
    const record = claim.record ?? claim.guarded;
    const transition = tamperTransition(record, tamper, deps.now());
    const incident = record?.last?.incident;
    if (transition.kind === 'unguarded' || transition.kind === 'duplicate' || record === undefined || incident === undefined) {
      await attempt.release();
      deps.logger.info('tamper report needs nothing', { tamperId: tamper.id, key, explanation: transition.explanation });
      return transition.kind === 'duplicate' && incident
        ? {
            outcome: 'duplicate',
            reason: 'duplicate-report',
            explanation: transition.explanation,
            incident,
            policy: undefined,
            actions: [],
          }
        : unguarded(transition.explanation);
    }

    const now = deps.now();
    const { results, failures } =
      followed === undefined
        ? await restore(transition.kind === 'restore' ? restoreSteps(tamper) : [], incident, deps)
        : transition.kind === 'restore'
          ? await restoreFollowed(followed, incident, deps)
          : { results: [], failures: [] };
    const explanation =
      followed === undefined
        ? transition.explanation
        : transition.kind === 'sanctioned'
          ? `${tamper.api} by responder ${tamper.actor}: left as it is; ${followedFrom(followed, incident)}`
          : `${transition.explanation}; ${followedFrom(followed, incident)}`;
    const failure = failureOf(failures);
    const response: AnsweredIncident = {
      outcome: failure ? 'failed' : transition.kind === 'restore' ? 'contained' : 'notified',
      // A credential gone or a refusal: IAM will not let the containment be put back; a person must act.
      reason: failure
        ? failure === 'transient'
          ? 'containment-failed'
          : 'access-denied'
        : transition.kind === 'sanctioned'
          ? 'responder-change'
          : 'tampered',
      explanation: failure ? `${explanation}, but restoring it failed: ${failures.map(messageOf).join('; ')}` : explanation,
      incident,
      policy: undefined,
      actions: results,
    };
    // A responder's change to a followed thing releases that thing only in fact: the creator stays contained and guarded.
    const releases =
      followed === undefined &&
      transition.kind === 'sanctioned' &&
      (tamper.change === 'key-re-enabled' || tamper.change === 'deny-policy-removed');
    const restored = transition.kind === 'restore' && !failure;
    // One alert per kind of change per window; a failure is always told.
    const window = record.tamperAlerts?.[tamper.change];
    const quiet = !failure && window !== undefined && Date.parse(window.until) > now.getTime();
    const told = quiet ? response : withQuietCount(response, window?.quiet ?? 0);
    const recorded: CredentialRecord = {
      ...record,
      last: storedResponseOf(told, now),
      did: withDone(record, results),
      ...(failure ? {} : { lastTamper: tamper.id }),
      ...(restored ? { guardUntil: new Date(now.getTime() + deps.guardWindowMs).toISOString(), achieved: 'contained' as const } : {}),
      // A restore that failed leaves the credential not contained: the next report about it, or a retry, acts.
      ...(transition.kind === 'restore' && failure && followed === undefined ? { achieved: 'alerted' as const } : {}),
      ...(releases ? { released: { by: tamper.actor, reason: `${tamper.api} by a responder principal`, at: now.toISOString() } } : {}),
      // A failure opens no window: the retry that puts the containment back is told.
      ...(failure
        ? {}
        : {
            tamperAlerts: {
              ...record.tamperAlerts,
              [tamper.change]: quiet
                ? { ...window!, quiet: window!.quiet + 1 }
                : { until: new Date(now.getTime() + TAMPER_ALERT_WINDOW_MS).toISOString(), quiet: 0 },
            },
          }),
      updatedAt: now.toISOString(),
    };
    if (quiet) {
      await attempt.save(recorded, { release: true });
      deps.logger.info('tamper change handled without a second alert in its window', { tamperId: tamper.id, key, change: tamper.change });
      return told;
    }
    // As for a report: recorded with the alert pending, then the alert, then the attempt released.
    const final = await attempt.commitWithAlert(recorded, told);
    if (failure === 'transient') throw new ContainmentFailedError(final);
    return final;
  } catch (error) {
    await attempt.release();
    throw error;
  }
}

/** How long one TAMPERING alert answers for later changes of the same kind to the same credential. */
const TAMPER_ALERT_WINDOW_MS = 15 * 60_000;

/** The alert after a quiet window names how many changes of that kind were handled without one. */
function withQuietCount(response: AnsweredIncident, quiet: number): AnsweredIncident {
  if (quiet === 0) return response;
  return {
    ...response,
    explanation: `${response.explanation} (and ${quiet} more such change(s) since the last alert, handled without one)`,
  };
}

function restoreSteps(tamper: TamperReport): (typeof GUARD_ACTIONS)[number][] {
  return tamper.change === 'key-re-enabled' ? ['deactivate-access-key'] : ['revoke-sessions'];
}

/**
 * Puts the containment back: the key deactivated again, or the deny policy written again with a new cut-off (now), so
 * it also denies any session issued while the policy was missing. Dry-run and accounts Keystop may not act in: "would".
 */
function restore(steps: ActionType[], incident: CredentialIncident, deps: Deps): Promise<StepsRun> {
  const held = heldBy(incident, deps);
  return runSteps(steps, incident, deps, {
    skip: (type) => (held ? `${held}: would ${containmentActions[type].describe(incident)}` : undefined),
    failed: 'restoring a containment failed',
  });
}

const heldBy = (incident: CredentialIncident, deps: Deps) =>
  deps.guardrails.dryRun
    ? 'dry-run'
    : deps.guardrails.accounts && !mayActIn(deps.guardrails.accounts, incident.accountId)
      ? 'account-not-allowed'
      : undefined;

/** Contains a followed thing again (src/actions/followCreation.ts), under the same holds as a restore. */
async function restoreFollowed(followed: Creation, creator: CredentialIncident, deps: Deps): Promise<StepsRun> {
  const held = heldBy(creator, deps);
  if (held) return { results: [followSkipped(followed, `${held}: would contain it again as when it was followed`)], failures: [] };
  try {
    return { results: [await recontainFollowed(followed, deps.clientsFor(creator), deps.now())], failures: [] };
  } catch (error) {
    return { results: [{ ...followSkipped(followed, messageOf(error)), status: 'failed' }], failures: [error] };
  }
}

/** The alert names the creator and its incident: the followed thing is guarded on behalf of that containment. */
function followedFrom(followed: Creation, creator: CredentialIncident): string {
  const principal = followedPrincipal(followed);
  const what = followed.kind === 'access-key' ? `key ${followed.accessKeyId}` : principal ? principalRef(principal) : followed.kind;
  const by = creator.credential.kind === 'long-term-key' ? creator.credential.accessKeyId : creator.id;
  return `${what} was made by ${by} and followed when Keystop contained it (incident ${creator.id}); a release of that incident releases it too`;
}
