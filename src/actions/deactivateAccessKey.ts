import { type IAMClient, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { readKeyOwner } from '../facts/readAccessKey';
import { actionCatalog } from './actionCatalog';
import type { ContainmentAction } from './ContainmentAction';

/**
 * Sets exactly the named long-term key to Inactive. Never deletes it (the key id is evidence, and an inactive key
 * can be re-enabled if this was a false positive) and never touches the user's other keys.
 */
export const deactivateAccessKey: ContainmentAction<'deactivate-access-key'> = {
  ...actionCatalog['deactivate-access-key'],
  async run({ incident }, { iam }) {
    const { credential } = incident;
    if (credential.kind !== 'long-term-key') {
      return { status: 'skipped', target: 'none', reason: `a ${credential.kind} has no long-term key to deactivate` };
    }
    const { accessKeyId } = credential;
    // Without UserName, IAM acts on a key of the *caller*: the owner must be named. When the report did not name
    // it, IAM says whose key this is; no other key is listed or touched.
    const userName = credential.userName ?? (await ownerOf(iam, accessKeyId));
    await iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: 'Inactive' }));
    return { status: 'done', target: accessKeyId, reason: `deactivated access key ${accessKeyId} of user ${userName}` };
  },
};

async function ownerOf(iam: IAMClient, accessKeyId: string): Promise<string> {
  const UserName = await readKeyOwner(iam, accessKeyId);
  if (!UserName) throw new Error(`IAM did not name the owner of access key ${accessKeyId}`);
  return UserName;
}
