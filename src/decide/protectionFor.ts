import { type CredentialIncident, iamPrincipalOf } from '../domain/CredentialIncident';
import type { Guardrails } from './Guardrails';

/** The plan reasons for principals Keystop never changes. */
export const protectionReasons = ['keystop-own-principal', 'aws-managed-principal'] as const;
type ProtectionReason = (typeof protectionReasons)[number];

export interface Protection {
  reason: ProtectionReason;
  explanation: string;
}

/**
 * AWS creates and manages these roles: IAM Identity Center's permission-set roles and service-linked roles, always at
 * these paths. Once the path is known it decides (a role given such a name at another path is someone else's); before
 * that, the names' reserved prefixes.
 */
const AWS_MANAGED = [
  { path: '/aws-reserved/', namePrefix: 'AWSReservedSSO_', what: 'an IAM Identity Center (SSO) role' },
  { path: '/aws-service-role/', namePrefix: 'AWSServiceRoleFor', what: 'a service-linked role' },
] as const;

/**
 * Pure: whether the incident's principal is one Keystop must never change, before any IAM call is made. Keystop's own
 * roles: containing them would cut off the rest of its own response (and the alert), and writing to them is how an
 * attacker would turn Keystop against itself. AWS-managed roles: IAM refuses or AWS undoes such changes, and revoking
 * an Identity Center role's sessions would lock out every person assigned the permission set. Both are alerted on.
 * The function roles' and member role's IAM policies deny the same writes (serverless.yml, deploy/member-role.yml).
 *
 * Keystop's own roles are recognised by exact identity only: a function role's name in Keystop's own account, the
 * member role's name in another account. A path (`/keystop/…`) or a name in any other account can be created by
 * whoever holds iam:CreateRole there; trusting it would let an attacker's role go uncontained.
 */
export function protectionFor(incident: CredentialIncident, guardrails: Pick<Guardrails, 'ownRoles' | 'accounts'>): Protection | undefined {
  const principal = iamPrincipalOf(incident.credential);
  if (principal?.kind !== 'role') return undefined;
  const { name } = principal;
  const path = incident.principalPath;
  const own = guardrails.ownRoles;
  const securityAccount = guardrails.accounts?.own;
  const inSecurityAccount = securityAccount !== undefined && incident.accountId === securityAccount;
  const inMemberAccount = securityAccount !== undefined && incident.accountId !== securityAccount;
  if (inMemberAccount && own?.memberRoleName !== undefined && name === own.memberRoleName) {
    return {
      reason: 'keystop-own-principal',
      explanation: `role ${name} is Keystop's member role: Keystop never changes the role it acts through; responders must act by hand`,
    };
  }
  if (inSecurityAccount && own?.functionRoleNames.includes(name)) {
    return {
      reason: 'keystop-own-principal',
      explanation: `role ${name} is one of Keystop's own function roles: Keystop never contains itself; responders must act by hand`,
    };
  }
  const managed = AWS_MANAGED.find((kind) => (path === undefined ? name.startsWith(kind.namePrefix) : path.startsWith(kind.path)));
  if (managed) {
    return {
      reason: 'aws-managed-principal',
      explanation: `role ${name} is ${managed.what}, managed by AWS: Keystop does not change it; responders must act by hand`,
    };
  }
  return undefined;
}
