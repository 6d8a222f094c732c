import type { Credential } from '../../../domain/CredentialIncident';
import { isTemporaryKey, isTypedAccessKeyId } from '../../../domain/identifiers';
import { UsageError } from '../../UsageError';

export interface ReportedCredentialOptions {
  accessKey: string;
  user?: string;
  role?: string;
}

/**
 * The credential a responder names on the command line, checked before any AWS call: a mistyped id or a flag that
 * cannot apply is a usage error, never a containment attempt that fails and pages the on-call.
 */
export function reportedCredential({ accessKey: accessKeyId, user, role }: ReportedCredentialOptions): Credential {
  if (!isTypedAccessKeyId(accessKeyId)) {
    throw new UsageError(
      `--access-key ${JSON.stringify(accessKeyId)} is not an access key id: AKIA (long-term) or ASIA (temporary) followed by 16 upper-case letters or digits`,
    );
  }
  if (user !== undefined && role !== undefined) {
    throw new UsageError('name either --user or --role, not both: a key belongs to one principal');
  }
  if (!isTemporaryKey(accessKeyId)) {
    if (role !== undefined) {
      throw new UsageError(
        `${accessKeyId} is a long-term (AKIA…) key, which only an IAM user has: drop --role, or give the ASIA… key of the role's session`,
      );
    }
    return user !== undefined ? { kind: 'long-term-key', accessKeyId, userName: user } : { kind: 'long-term-key', accessKeyId };
  }
  if (role !== undefined) return { kind: 'role-session', accessKeyId, roleName: role };
  if (user !== undefined) return { kind: 'user-session', accessKeyId, userName: user };
  throw new UsageError(`${accessKeyId} is a temporary (ASIA…) key: name its --role or --user, whose older sessions will be denied`);
}
