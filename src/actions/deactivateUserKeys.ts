import { ListAccessKeysCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { iamPrincipalOf } from '../domain/CredentialIncident';
import { actionCatalog } from './actionCatalog';
import type { ContainmentAction } from './ContainmentAction';

/**
 * Every *active* key of the named user, set Inactive. Never implied by another action: only a policy that names it
 * uses it — meant for AWS's quarantine event, which names a user but not the key. Already inactive keys are left as
 * they are, and nothing is deleted.
 */
export const deactivateUserKeys: ContainmentAction<'deactivate-user-keys'> = {
  ...actionCatalog['deactivate-user-keys'],
  async run({ incident }, { iam }) {
    const principal = iamPrincipalOf(incident.credential);
    if (principal?.kind !== 'user') {
      return { status: 'skipped', target: 'none', reason: 'no IAM user is named, so there are no keys to deactivate' };
    }
    const UserName = principal.name;
    const { AccessKeyMetadata = [] } = await iam.send(new ListAccessKeysCommand({ UserName }));
    const active = AccessKeyMetadata.filter((key) => key.Status === 'Active').map((key) => key.AccessKeyId!);
    for (const AccessKeyId of active) {
      await iam.send(new UpdateAccessKeyCommand({ UserName, AccessKeyId, Status: 'Inactive' }));
    }
    return {
      status: 'done',
      target: `user/${UserName}`,
      changedKeys: active,
      reason:
        active.length === 0
          ? `user ${UserName} had no active key`
          : `deactivated ${active.length} active key(s) of user ${UserName}: ${active.join(', ')}`,
    };
  },
};
