import type { Credential } from '../domain/CredentialIncident';
import { isTemporaryKey } from '../domain/identifiers';

/** A principal as GuardDuty (accessKeyDetails) and Security Hub (AwsIamAccessKey) describe it. */
export interface ReportedPrincipal {
  accessKeyId?: string | undefined;
  /** For a role session: the role's name. */
  userName?: string | undefined;
  /** IAMUser | AssumedRole | Root | FederatedUser. */
  userType?: string | undefined;
  /** For a role session: AROA…:<session name>. */
  principalId?: string | undefined;
}

/**
 * The credential a report names, classified by what decides its containment, or undefined when the report does not
 * say enough to know which credential it is.
 */
export function credentialOfPrincipal({ accessKeyId, userName, userType, principalId }: ReportedPrincipal): Credential | undefined {
  switch (userType) {
    case 'Root':
      return accessKeyId ? { kind: 'root', accessKeyId } : { kind: 'root' };
    case 'IAMUser':
      if (!userName) return undefined;
      if (accessKeyId === undefined) return { kind: 'user-session', userName };
      // ASIA: a session of the user (console sign-in, GetSessionToken); AKIA: the user's long-term key.
      return isTemporaryKey(accessKeyId)
        ? { kind: 'user-session', accessKeyId, userName }
        : { kind: 'long-term-key', accessKeyId, userName };
    case 'AssumedRole': {
      // For a role session the reported userName is the role name; principalId is AROA…:<session name>.
      if (!userName || !accessKeyId) return undefined;
      const sessionName = principalId?.includes(':') ? principalId.slice(principalId.indexOf(':') + 1) : undefined;
      return sessionName
        ? { kind: 'role-session', accessKeyId, roleName: userName, sessionName }
        : { kind: 'role-session', accessKeyId, roleName: userName };
    }
    case 'FederatedUser':
      if (!userName || !accessKeyId) return undefined;
      return { kind: 'federated-session', accessKeyId, principalName: userName };
    default:
      return undefined;
  }
}
