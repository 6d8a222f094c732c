import type { Creation } from '../domain/Creation';
import type { CredentialIncident } from '../domain/CredentialIncident';
import { exemptionFor } from './exemptionFor';
import type { Guardrails } from './Guardrails';
import { protectionFor } from './protectionFor';

/**
 * What containing a credential does to something that credential made: a key it created is deactivated, a user it
 * created loses its active keys and its sessions, a role it created loses its sessions. A console password or a
 * policy is listed with the command that undoes it: deleting a password or detaching a policy can break what a person
 * built on it since, so that is a human's decision.
 */
/** The IAM permissions following takes, wherever a key can be deactivated (src/actions/followCreation.ts). */
export const FOLLOW_PERMISSIONS = [
  'iam:GetRole',
  'iam:GetUser',
  'iam:ListAccessKeys',
  'iam:PutRolePolicy',
  'iam:PutUserPolicy',
  'iam:UpdateAccessKey',
] as const;

export type FollowAct = 'deactivate-key' | 'contain-user' | 'deny-role' | 'list';

export function followActOf(creation: Creation): FollowAct {
  switch (creation.kind) {
    case 'access-key':
      return 'deactivate-key';
    case 'user':
      return 'contain-user';
    case 'role':
      return 'deny-role';
    case 'login-profile':
    case 'policy':
    case 'user-renamed':
      return 'list';
  }
}

/** The user or role a followed step changes (a created key's user: only that key of it is touched). */
export function followedPrincipal(creation: Creation): { kind: 'user' | 'role'; name: string } | undefined {
  switch (creation.kind) {
    case 'access-key':
    case 'user':
      return { kind: 'user', name: creation.userName };
    case 'role':
      return { kind: 'role', name: creation.roleName };
    default:
      return undefined;
  }
}

/**
 * Why a followed step must not change its principal (undefined: it may). The same rails as a report's: dry-run, an
 * exempt name or ARN, the exemption tag (read live), Keystop's own and AWS-managed roles. The principal is checked as
 * it is now: a name the attacker chose is only a name, so its live path and tags decide, as for a reported credential.
 */
export function followHeldBy(
  creation: Creation,
  creator: CredentialIncident,
  guardrails: Guardrails,
  live: { tags: Record<string, string>; path: string | undefined },
): string | undefined {
  const principal = followedPrincipal(creation);
  if (principal === undefined) return undefined;
  const as: CredentialIncident = {
    ...creator,
    credential:
      principal.kind === 'role'
        ? { kind: 'role-session', roleName: principal.name, accessKeyId: '' }
        : { kind: 'iam-user', userName: principal.name },
    ...(live.path === undefined ? {} : { principalPath: live.path }),
  };
  const protection = protectionFor(as, guardrails);
  if (protection) return `${protection.reason}: ${protection.explanation}`;
  const exempt = exemptionFor(as, guardrails.exemptPrincipals);
  if (exempt) return `exempt-principal: ${principal.kind} ${principal.name} matches the exemption ${exempt}`;
  const tag = guardrails.exemptTag;
  if (tag && live.tags[tag.key] === tag.value)
    return `exempt-principal: ${principal.kind} ${principal.name} carries ${tag.key}=${tag.value}`;
  if (guardrails.dryRun) return 'dry-run: nothing is changed';
  return undefined;
}
