import type { Credential, CredentialIncident } from './CredentialIncident';

/**
 * What identifies "the same credential" across sources, redeliveries and regions: the owning account and the access
 * key id; where no key is named, the principal. A different session of the same role is a different credential
 * (it may have been issued after an earlier revocation), so sessions are keyed by their key id too.
 */
export function credentialKey(incident: CredentialIncident): string {
  const { credential, accountId } = incident;
  switch (credential.kind) {
    case 'long-term-key':
    case 'role-session':
    case 'federated-session':
      return `credential#${accountId}#${credential.accessKeyId}`;
    case 'user-session':
      return `credential#${accountId}#${credential.accessKeyId ?? `user/${credential.userName}/console`}`;
    case 'iam-user':
      return `credential#${accountId}#user/${credential.userName}`;
    case 'root':
      return `credential#${accountId}#root#${credential.accessKeyId ?? 'console'}`;
    case 'unmapped':
      // Nothing identifies the credential: the report does (the backup-region delivery of a notice shares its id).
      return `credential#${accountId}#unmapped#${incident.id}`;
  }
}

/**
 * Whether every session of the credential shares one record: a credential recorded by its principal (a user's console
 * sessions, no key named). A session named by its key is a record of its own, and so is the next one.
 */
export function sessionsShareRecord(credential: Credential): boolean {
  return (credential.kind === 'user-session' || credential.kind === 'root') && credential.accessKeyId === undefined;
}
