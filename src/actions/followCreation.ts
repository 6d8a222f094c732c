import {
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  ListAccessKeysCommand,
  NoSuchEntityException,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import type { Creation } from '../domain/Creation';
import { type ActionClients, type ActionResult, FOLLOW_STEP } from './ContainmentAction';
import { REVOKE_POLICY_NAME, REVOKE_STATEMENT_ID } from './keystopDenyPolicy';

/** Denies everything to every session of the principal, whenever it was issued (a release deletes it). */
const denyEverySession = () =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: REVOKE_STATEMENT_ID, Effect: 'Deny', Action: '*', Resource: '*' }] });

const targetOf = (creation: Creation): string => {
  switch (creation.kind) {
    case 'access-key':
      return creation.accessKeyId;
    case 'user':
    case 'login-profile':
      return `user/${creation.userName}`;
    case 'user-renamed':
      return `user/${creation.newUserName}`;
    case 'role':
      return `role/${creation.roleName}`;
    case 'policy':
      return `${creation.on}/${creation.name}`;
  }
};

/** A followed step that changes nothing: listed (a password, a policy) or held back (exempt, dry-run, gone). */
export function followSkipped(creation: Creation, reason: string): ActionResult {
  return { type: FOLLOW_STEP, status: 'skipped', target: targetOf(creation), reason, followed: creation };
}

/**
 * Contains one thing the contained credential made, touching exactly it: the created key (only if IAM lists it as that
 * user's and Active), the created user's active keys and its sessions, the created role's sessions. A key already
 * Inactive is recorded as skipped, so that a release does not set Active what Keystop never deactivated.
 */
export async function followCreation(creation: Creation, { iam }: ActionClients, now: Date): Promise<ActionResult> {
  const done = doneStep(creation, now);
  if (creation.kind === 'access-key') {
    const UserName = creation.userName;
    const { AccessKeyMetadata = [] } = await iam.send(new ListAccessKeysCommand({ UserName }));
    const key = AccessKeyMetadata.find((k) => k.AccessKeyId === creation.accessKeyId);
    if (key === undefined) return followSkipped(creation, `user ${UserName} has no key ${creation.accessKeyId} (deleted since)`);
    if (key.Status !== 'Active') return followSkipped(creation, `key ${creation.accessKeyId} of user ${UserName} was already Inactive`);
    await iam.send(new UpdateAccessKeyCommand({ UserName, AccessKeyId: creation.accessKeyId, Status: 'Inactive' }));
    return done(`deactivated ${creation.accessKeyId}, created for user ${UserName} by the contained key at ${creation.at}`);
  }
  // The principal is the attacker's own making: every session is denied, those issued later too (a deny on
  // aws:TokenIssueTime alone would let the attacker assume the role again, or sign in with the password it set).
  const PolicyDocument = denyEverySession();
  if (creation.kind === 'user') {
    const UserName = creation.userName;
    const { AccessKeyMetadata = [] } = await iam.send(new ListAccessKeysCommand({ UserName }));
    const active = AccessKeyMetadata.filter((k) => k.Status === 'Active').map((k) => k.AccessKeyId!);
    for (const AccessKeyId of active) await iam.send(new UpdateAccessKeyCommand({ UserName, AccessKeyId, Status: 'Inactive' }));
    await iam.send(new PutUserPolicyCommand({ UserName, PolicyName: REVOKE_POLICY_NAME, PolicyDocument }));
    return done(
      `user ${UserName}, created by the contained key at ${creation.at}: ${active.length} active key(s) deactivated` +
        `${active.length ? ` (${active.join(', ')})` : ''}, every session denied, new ones too (${REVOKE_POLICY_NAME})`,
      active,
    );
  }
  if (creation.kind === 'role') {
    await iam.send(new PutRolePolicyCommand({ RoleName: creation.roleName, PolicyName: REVOKE_POLICY_NAME, PolicyDocument }));
    return done(
      `role ${creation.roleName}, created by the contained key at ${creation.at}: every session denied, new ones too (${REVOKE_POLICY_NAME})`,
    );
  }
  return followSkipped(creation, 'listed, not changed: deleting or detaching is a human decision');
}

/**
 * Puts back one followed step the tamper guard saw undone, with only the writes the guard's role holds (no listing): the
 * key set Inactive again, or the deny of every session written again on the user or role.
 */
export async function recontainFollowed(creation: Creation, { iam }: ActionClients, now: Date): Promise<ActionResult> {
  const done = doneStep(creation, now);
  const PolicyDocument = denyEverySession();
  switch (creation.kind) {
    case 'access-key':
      await iam.send(new UpdateAccessKeyCommand({ UserName: creation.userName, AccessKeyId: creation.accessKeyId, Status: 'Inactive' }));
      return done(`deactivated ${creation.accessKeyId} of user ${creation.userName} again`);
    case 'user':
      await iam.send(new PutUserPolicyCommand({ UserName: creation.userName, PolicyName: REVOKE_POLICY_NAME, PolicyDocument }));
      return done(`user ${creation.userName}: every session denied again (${REVOKE_POLICY_NAME})`);
    case 'role':
      await iam.send(new PutRolePolicyCommand({ RoleName: creation.roleName, PolicyName: REVOKE_POLICY_NAME, PolicyDocument }));
      return done(`role ${creation.roleName}: every session denied again (${REVOKE_POLICY_NAME})`);
    default:
      return followSkipped(creation, 'listed, not changed: nothing to put back');
  }
}

/** Undoes one followed step that was done (a release): the key set Active, the user's keys too, the deny deleted. */
export async function undoFollowed(step: ActionResult, { iam }: ActionClients, now: Date): Promise<ActionResult | undefined> {
  const creation = step.followed;
  if (step.status !== 'done' || creation === undefined) return undefined;
  const at = now.toISOString();
  const result = (reason: string, changedKeys?: string[]): ActionResult => ({
    type: FOLLOW_STEP,
    status: 'done',
    target: step.target,
    reason,
    at,
    followed: creation,
    ...(changedKeys ? { changedKeys } : {}),
  });
  const denyGone = async (remove: () => Promise<unknown>) => {
    try {
      await remove();
      return `deleted ${REVOKE_POLICY_NAME}`;
    } catch (error) {
      if (!(error instanceof NoSuchEntityException)) throw error;
      return `${REVOKE_POLICY_NAME} was already gone`;
    }
  };
  if (creation.kind === 'access-key') {
    await iam.send(new UpdateAccessKeyCommand({ UserName: creation.userName, AccessKeyId: creation.accessKeyId, Status: 'Active' }));
    return result(`reactivated ${creation.accessKeyId} of user ${creation.userName}`);
  }
  if (creation.kind === 'user') {
    const UserName = creation.userName;
    const reactivated: string[] = [];
    for (const AccessKeyId of step.changedKeys ?? []) {
      try {
        await iam.send(new UpdateAccessKeyCommand({ UserName, AccessKeyId, Status: 'Active' }));
        reactivated.push(AccessKeyId);
      } catch (error) {
        if (!(error instanceof NoSuchEntityException)) throw error;
      }
    }
    const deny = await denyGone(() => iam.send(new DeleteUserPolicyCommand({ UserName, PolicyName: REVOKE_POLICY_NAME })));
    return result(`user ${UserName}: reactivated ${reactivated.join(', ') || 'no key'}; ${deny}`, reactivated);
  }
  if (creation.kind === 'role') {
    const RoleName = creation.roleName;
    const deny = await denyGone(() => iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName: REVOKE_POLICY_NAME })));
    return result(`role ${RoleName}: ${deny}`);
  }
  return undefined;
}

/** A follow step done on this creation now, with the keys it changed when there are any. */
function doneStep(creation: Creation, now: Date) {
  return (reason: string, changedKeys?: string[]): ActionResult => ({
    type: FOLLOW_STEP,
    status: 'done',
    target: targetOf(creation),
    reason,
    at: now.toISOString(),
    followed: creation,
    ...(changedKeys ? { changedKeys } : {}),
  });
}
