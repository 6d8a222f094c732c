import {
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  NoSuchEntityException,
  UntagRoleCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { type CredentialIncident, iamPrincipalOf } from '../domain/CredentialIncident';
import { messageOf } from '../domain/errors';
import { principalRef } from '../domain/identifiers';
import type { ActionClients, ActionResult } from './ContainmentAction';
import { REVOKE_POLICY_NAME } from './keystopDenyPolicy';
import { denyAllArn } from './revokeSessions';
import { CONTAINED_AT_TAG, INCIDENT_TAG } from './tagPrincipal';

/**
 * Undoes what Keystop's containment of this credential did, for exactly that credential: the key set Active again,
 * Keystop's deny policy deleted, Keystop's tags removed from the principal. Each step is reported like a containment
 * step; something already undone (no such policy) is skipped, not failed. `touched` names the action types the
 * containment carried out. A step that fails is reported as that step, failed, and nothing after it is undone (a
 * person finishes by hand, from the alert).
 */
export async function undoContainment(
  incident: CredentialIncident,
  touched: ReadonlySet<string>,
  { iam }: ActionClients,
  now: Date,
  /** The keys deactivate-user-keys set Inactive (its result's changedKeys): reactivated, and no other key. */
  userKeys: readonly string[] = [],
): Promise<{ results: ActionResult[]; failures: unknown[] }> {
  const results: ActionResult[] = [];
  const at = () => now.toISOString();
  const { credential } = incident;
  const principal = iamPrincipalOf(credential);
  const principalTarget = principal ? principalRef(principal) : 'none';
  let step: { type: ActionResult['type']; target: string } = { type: 'deactivate-access-key', target: 'none' };
  try {
    if (touched.has('deactivate-access-key') && credential.kind === 'long-term-key' && credential.userName) {
      step = { type: 'deactivate-access-key', target: credential.accessKeyId };
      await iam.send(new UpdateAccessKeyCommand({ UserName: credential.userName, AccessKeyId: credential.accessKeyId, Status: 'Active' }));
      results.push({
        type: 'deactivate-access-key',
        status: 'done',
        target: credential.accessKeyId,
        reason: `reactivated ${credential.accessKeyId} of ${credential.userName}`,
        at: at(),
      });
    }
    if (touched.has('revoke-sessions') && principal) {
      step = { type: 'revoke-sessions', target: principalTarget };
      try {
        if (principal.kind === 'role')
          await iam.send(new DeleteRolePolicyCommand({ RoleName: principal.name, PolicyName: REVOKE_POLICY_NAME }));
        else await iam.send(new DeleteUserPolicyCommand({ UserName: principal.name, PolicyName: REVOKE_POLICY_NAME }));
        results.push({
          type: 'revoke-sessions',
          status: 'done',
          target: principalRef(principal),
          reason: `deleted ${REVOKE_POLICY_NAME} from ${principal.kind} ${principal.name}`,
          at: at(),
        });
      } catch (error) {
        if (!(error instanceof NoSuchEntityException)) throw error;
        // No inline deny: where the quota was full, the containment attached AWSDenyAll instead (revokeSessions).
        const detached = await detachDenyAll(iam, principal, denyAllArn(incident.region));
        results.push({
          type: 'revoke-sessions',
          status: detached ? 'done' : 'skipped',
          target: principalRef(principal),
          reason: detached
            ? `detached ${denyAllArn(incident.region)} from ${principal.kind} ${principal.name} (attached because its inline-policy quota was full)`
            : `${REVOKE_POLICY_NAME} was already gone`,
          ...(detached ? { at: at() } : {}),
        });
      }
    }
    if (touched.has('tag-principal') && principal) {
      step = { type: 'tag-principal', target: principalTarget };
      const TagKeys = [INCIDENT_TAG, CONTAINED_AT_TAG];
      if (principal.kind === 'role') await iam.send(new UntagRoleCommand({ RoleName: principal.name, TagKeys }));
      else await iam.send(new UntagUserCommand({ UserName: principal.name, TagKeys }));
      results.push({
        type: 'tag-principal',
        status: 'done',
        target: principalRef(principal),
        reason: `removed Keystop's tags from ${principal.kind} ${principal.name}`,
        at: at(),
      });
    }
    if (touched.has('deactivate-user-keys')) {
      const target = principalTarget;
      step = { type: 'deactivate-user-keys', target };
      // The key named in the incident was reactivated above already, when the containment also deactivated it alone.
      const named = touched.has('deactivate-access-key') && credential.kind === 'long-term-key' ? credential.accessKeyId : undefined;
      const keys = userKeys.filter((key) => key !== named);
      if (principal?.kind !== 'user' || (keys.length === 0 && userKeys.length === 0)) {
        // A containment recorded before Keystop noted which keys it deactivated: only a person can tell them apart.
        results.push({
          type: 'deactivate-user-keys',
          status: 'skipped',
          target,
          reason: "not undone: reactivate the user's keys by hand, one by one",
        });
      } else {
        const reactivated: string[] = [];
        const gone: string[] = [];
        for (const AccessKeyId of keys) {
          try {
            await iam.send(new UpdateAccessKeyCommand({ UserName: principal.name, AccessKeyId, Status: 'Active' }));
            reactivated.push(AccessKeyId);
          } catch (error) {
            if (!(error instanceof NoSuchEntityException)) throw error;
            gone.push(AccessKeyId);
          }
        }
        const deleted = gone.length > 0 ? `; deleted since: ${gone.join(', ')}` : '';
        results.push({
          type: 'deactivate-user-keys',
          status: 'done',
          target,
          changedKeys: reactivated,
          reason:
            `reactivated the ${reactivated.length} key(s) of user ${principal.name} Keystop had deactivated: ` +
            `${reactivated.join(', ') || 'none'}${deleted}`,
          at: at(),
        });
      }
    }
  } catch (error) {
    return { results: [...results, { ...step, status: 'failed', reason: messageOf(error) }], failures: [error] };
  }
  return { results, failures: [] };
}

/** Detaches the fallback deny from the principal; false when it was not attached. */
async function detachDenyAll(
  iam: ActionClients['iam'],
  principal: { kind: 'user' | 'role'; name: string },
  PolicyArn: string,
): Promise<boolean> {
  try {
    if (principal.kind === 'role') await iam.send(new DetachRolePolicyCommand({ RoleName: principal.name, PolicyArn }));
    else await iam.send(new DetachUserPolicyCommand({ UserName: principal.name, PolicyArn }));
    return true;
  } catch (error) {
    if (error instanceof NoSuchEntityException) return false;
    throw error;
  }
}
