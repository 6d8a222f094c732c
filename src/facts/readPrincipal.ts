import { GetRoleCommand, GetUserCommand, type IAMClient, NoSuchEntityException } from '@aws-sdk/client-iam';

export interface PrincipalFacts {
  tags: Record<string, string>;
  /** Undefined when the principal does not exist (any more). */
  path: string | undefined;
  /** When IAM created it (CreateDate: IAM's own, nobody can write it); undefined when it does not exist. */
  createdAt?: string;
  /** IAM's unique id (UserId, RoleId): a name can be given to another principal, the id cannot. */
  id?: string;
}

/** The principal's tags, path and creation time, read live from IAM in one call (READ_PRINCIPAL_PERMISSIONS). A principal that does not exist has no tags and no path. */
export async function readPrincipal(iam: IAMClient, principal: { kind: 'user' | 'role'; name: string }): Promise<PrincipalFacts> {
  try {
    const found =
      principal.kind === 'user'
        ? (await iam.send(new GetUserCommand({ UserName: principal.name }))).User
        : (await iam.send(new GetRoleCommand({ RoleName: principal.name }))).Role;
    const tags = Object.fromEntries((found?.Tags ?? []).map((tag) => [tag.Key, tag.Value]));
    if (found === undefined) return { tags, path: undefined };
    const id = 'UserId' in found ? found.UserId : found.RoleId;
    return {
      tags,
      path: found.Path,
      ...(found.CreateDate ? { createdAt: found.CreateDate.toISOString() } : {}),
      ...(id === undefined ? {} : { id }),
    };
  } catch (error) {
    if (error instanceof NoSuchEntityException) return { tags: {}, path: undefined };
    throw error;
  }
}
