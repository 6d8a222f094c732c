import type { ActionResult } from '../actions/ContainmentAction';
import { undoFollowed } from '../actions/followCreation';
import { undoContainment } from '../actions/undoContainment';
import { type CredentialRecord, stepsDone, storedResponseOf } from '../decide/CredentialRecord';
import { messageOf } from '../domain/errors';
import type { AnsweredIncident, IncidentResponse } from '../domain/IncidentResponse';
import { accessKeyRecordKey, describeRecordKey, principalRef } from '../domain/identifiers';
import type { Deps, StatefulDeps } from './Deps';
import { attemptOn, claimCredential } from './plumbing/credentialAttempt';
import { failureOf } from './plumbing/failureOf';
import { settleEach } from './plumbing/settleEach';

/** What a responder releases: one stored incident, one key, or every contained credential of a user or role. */
export type ReleaseTarget = { incidentId: string } | { accessKeyId: string } | { principal: { kind: 'user' | 'role'; name: string } };

export interface Release {
  accountId: string;
  /** Who releases (the caller's ARN), for the record, the alert and the audit event. */
  by: string;
  reason: string;
}

/**
 * `keystop release`: the one sanctioned way to undo a containment. The record is marked released *before* IAM is
 * changed, so the tamper guard, seeing the responder's own UpdateAccessKey or DeletePolicy in CloudTrail, records it
 * instead of undoing it; the next report of the credential is new evidence. Then the key is reactivated, Keystop's deny
 * policy and tags removed, and responders alerted (the audit event names who and why).
 */
export async function releaseContainment(target: ReleaseTarget, release: Release, deps: StatefulDeps): Promise<IncidentResponse[]> {
  const keys = await keysOf(target, release.accountId, deps);
  if (keys.length === 0) throw new Error(`Keystop holds no containment of ${describe(target)} in account ${release.accountId}`);
  // Each credential on its own: one that cannot be released does not keep the others contained.
  return settleEach(keys, async (key) => [await releaseOne(key, release, deps)]);
}

function describe(target: ReleaseTarget): string {
  if ('incidentId' in target) return `incident ${target.incidentId}`;
  if ('accessKeyId' in target) return `access key ${target.accessKeyId}`;
  return `${target.principal.kind} ${target.principal.name}`;
}

const isContained = (record: CredentialRecord) => record.achieved === 'contained' || record.guardUntil !== undefined;

async function keysOf(target: ReleaseTarget, accountId: string, deps: StatefulDeps): Promise<string[]> {
  if ('accessKeyId' in target) return [accessKeyRecordKey(accountId, target.accessKeyId)];
  const records = (await deps.state.watched(deps.now())).filter((r) => r.accountId === accountId && isContained(r));
  const chosen =
    'incidentId' in target
      ? records.filter((r) => r.last?.incident.id === target.incidentId || r.demand?.id === target.incidentId)
      : records.filter((r) => r.principal === principalRef(target.principal));
  return chosen.map((r) => r.key);
}

async function releaseOne(key: string, release: Release, deps: Deps): Promise<IncidentResponse> {
  const claim = await claimCredential(key, { id: `release:${key}` }, deps);
  const attempt = attemptOn(key, claim.token, deps);
  try {
    const record = claim.record ?? claim.guarded;
    const incident = record?.last?.incident;
    if (record === undefined || incident === undefined || !isContained(record)) {
      await attempt.release();
      throw new Error(`Keystop holds no containment of ${describeRecordKey(key)}: nothing to release`);
    }
    if (record.released) {
      await attempt.release();
      return {
        outcome: 'duplicate',
        reason: 'released',
        explanation: `already released by ${record.released.by} on ${record.released.at} (${record.released.reason})`,
        incident,
        policy: undefined,
        actions: [],
      };
    }
    const now = deps.now();
    const released: CredentialRecord = {
      ...record,
      released: { by: release.by, reason: release.reason, at: now.toISOString() },
      updatedAt: now.toISOString(),
    };
    // Released first: the guard must see the responder's own changes below as sanctioned.
    await attempt.save(released, { release: false });
    // Only what was done is undone: a key an administrator had deactivated before Keystop acted stays Inactive.
    const done = stepsDone(record);
    const userKeys = done.filter((a) => a.type === 'deactivate-user-keys').flatMap((a) => a.changedKeys ?? []);
    // The named key set Inactive by deactivate-user-keys is undone as the named key (the user's others after it).
    const { credential } = incident;
    const namedKeyDone = credential.kind === 'long-term-key' && userKeys.includes(credential.accessKeyId);
    const touched = new Set([...done.map((a) => a.type), ...(namedKeyDone ? ['deactivate-access-key'] : [])]);
    const clients = deps.clientsFor(incident);
    const undone = await undoContainment(incident, touched, clients, now, userKeys);
    const results: ActionResult[] = [...undone.results];
    const failures = [...undone.failures];
    // What the key made, put back as it was (each on its own: one that fails is reported, the others still undone).
    for (const step of failures.length === 0 ? done.filter((a) => a.followed !== undefined) : []) {
      try {
        const result = await undoFollowed(step, clients, now);
        if (result) results.push(result);
      } catch (error) {
        failures.push(error);
        results.push({ ...step, status: 'failed', reason: messageOf(error) });
      }
    }
    const failure = failureOf(failures);
    const response: AnsweredIncident = {
      outcome: failure === undefined ? 'notified' : 'failed',
      reason: failure === undefined ? 'released' : failure === 'denied' ? 'access-denied' : 'error',
      explanation:
        failure === undefined
          ? `released by ${release.by}: ${release.reason}. Later reports of this credential are new evidence`
          : `released by ${release.by} (${release.reason}), but undoing the containment failed: ${failures.map(messageOf).join('; ')}; finish by hand`,
      incident,
      policy: undefined,
      actions: results,
    };
    return await attempt.commitWithAlert({ ...released, last: storedResponseOf(response, now) }, response);
  } catch (error) {
    await attempt.release();
    throw error;
  }
}
