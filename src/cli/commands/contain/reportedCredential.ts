import type { Credential } from '../../../domain/CredentialIncident';
import { UsageError } from '../../UsageError';

/**
 * AKIA (long-term) or ASIA (temporary) and 16 more characters. AWS issues them in base32 ([A-Z2-7]), but IAM documents
 * the id only as alphanumeric and the local emulator issues digits 0, 1, 8 and 9 too, so those pass as well.
 */
const ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{16}$/;

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
  if (!ACCESS_KEY_ID.test(accessKeyId)) {
    throw new UsageError(
      `--access-key ${JSON.stringify(accessKeyId)} is not an access key id: AKIA (long-term) or ASIA (temporary) followed by 16 upper-case letters or digits`,
    );
  }
  if (user !== undefined && role !== undefined) {
    throw new UsageError('name either --user or --role, not both: a key belongs to one principal');
  }
  if (!accessKeyId.startsWith('ASIA')) {
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
