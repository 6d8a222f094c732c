import { ListRoleTagsCommand, ListUserTagsCommand, NoSuchEntityException, type IAMClient } from '@aws-sdk/client-iam';

export const READ_TAGS_PERMISSIONS = ['iam:ListUserTags', 'iam:ListRoleTags'] as const;

/** The principal's tags, read live from IAM. A principal that does not exist has none. */
export async function readPrincipalTags(
  iam: IAMClient,
  principal: { kind: 'user' | 'role'; name: string },
): Promise<Record<string, string>> {
  try {
    const { Tags = [] } =
      principal.kind === 'user'
        ? await iam.send(new ListUserTagsCommand({ UserName: principal.name }))
        : await iam.send(new ListRoleTagsCommand({ RoleName: principal.name }));
    return Object.fromEntries(Tags.map((tag) => [tag.Key, tag.Value]));
  } catch (error) {
    if (error instanceof NoSuchEntityException) return {};
    throw error;
  }
}
