import type { IAMClient } from '@aws-sdk/client-iam';
import { followedPrincipal } from '../decide/followPlan';
import type { Creation } from '../domain/Creation';
import { failureKindOf } from '../domain/errors';
import { readAccessKeyStatus, readKeyOwner } from './readAccessKey';
import { type PrincipalFacts, readPrincipal } from './readPrincipal';

/** A followed creation as IAM has it now, with its principal's live facts; or why there is nothing to follow. */
export type CurrentForm = { creation: Creation; live: PrincipalFacts; renamed?: string } | { gone: string };

const ownerOf = (iam: IAMClient, accessKeyId: string) =>
  readKeyOwner(iam, accessKeyId).catch((error: unknown) => {
    if (failureKindOf(error) === 'gone') return undefined;
    throw error;
  });

/**
 * Where a followed creation is now. A role cannot be renamed, a user can (`UpdateUser --new-user-name`), and a key
 * never changes user but its user's name can change. So a created key is looked for under its user's recorded name
 * (after the creator's own recorded renames), else by its own id (GetAccessKeyLastUsed names its user: a permission
 * containment holds already; the emulator answers with the name at the key's creation); a created user by the
 * UserId its creation recorded: under its recorded name if that user still has the id, else under the current name of
 * the owner of a key the same creator made for it. A name now held by another user (another id) is not followed.
 */
export async function currentFormOf(creation: Creation, made: readonly Creation[], iam: IAMClient): Promise<CurrentForm> {
  const principal = followedPrincipal(creation)!;
  if (creation.kind === 'access-key') {
    // The user it was made for (renamed by the creator's own recorded rename, if any) still lists it: that is its user.
    const listed = await readAccessKeyStatus(iam, creation.accessKeyId, creation.userName).catch((error: unknown) => {
      if (failureKindOf(error) === 'gone') return undefined;
      throw error;
    });
    if (listed !== undefined) return { creation, live: await readPrincipal(iam, principal) };
    const owner = await ownerOf(iam, creation.accessKeyId);
    if (owner === undefined) return { gone: `key ${creation.accessKeyId} no longer exists` };
    const live = await readPrincipal(iam, { kind: 'user', name: owner });
    if (owner === creation.userName) return { creation, live };
    return { creation: { ...creation, userName: owner }, live, renamed: `user ${creation.userName} is now ${owner}` };
  }
  const live = await readPrincipal(iam, principal);
  if (creation.kind !== 'user' || creation.userId === undefined) {
    return live.path === undefined ? { gone: `${principal.kind} ${principal.name} no longer exists` } : { creation, live };
  }
  if (live.path !== undefined && live.id === creation.userId) return { creation, live };
  const keysOfIt = made.filter((m) => m.kind === 'access-key' && m.userName === creation.userName);
  for (const key of keysOfIt as Extract<Creation, { kind: 'access-key' }>[]) {
    const owner = await ownerOf(iam, key.accessKeyId);
    if (owner === undefined || owner === creation.userName) continue;
    const now = await readPrincipal(iam, { kind: 'user', name: owner });
    if (now.id === creation.userId) {
      return { creation: { ...creation, userName: owner }, live: now, renamed: `user ${creation.userName} is now ${owner}` };
    }
  }
  return live.path === undefined
    ? { gone: `user ${creation.userName} (${creation.userId}) no longer exists under that name, and no key it holds names it` }
    : { gone: `user ${creation.userName} is now another user (${live.id}), not the one created (${creation.userId})` };
}
