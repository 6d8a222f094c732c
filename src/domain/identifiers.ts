import { type Credential, type CredentialIncident, iamPrincipalOf } from './CredentialIncident';

/**
 * Every identifier Keystop builds or checks, in one place: the credential record's key, a principal's reference, and
 * the access key id pattern. Anything that stores, looks up or validates one of them goes through here.
 */

/**
 * An access key id Keystop handles: AKIA (an IAM user's long-term key) or ASIA (an STS session), then upper-case
 * letters and digits, 16 to 128 characters in all. AWS documents AccessKeyId as 16–128 characters (IAM and STS API
 * references); the keys it issues today are 20 (base32), but a report must never be dropped because AWS issued a
 * longer id. Only a person typing an id is held to today's 20 characters (see isTypedAccessKeyId).
 */
const ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{12,124}$/;

export const isAccessKeyId = (value: string) => ACCESS_KEY_ID.test(value);

/** Every key id IAM and STS issue today is 20 characters: one a person types at another length is a typo. */
const ISSUED_ACCESS_KEY_ID_LENGTH = 20;

/**
 * An access key id typed on the command line: the pattern above, at the length AWS issues. A mistyped id must be a
 * usage error, never a containment attempt that fails and pages the on-call.
 */
export const isTypedAccessKeyId = (value: string) => isAccessKeyId(value) && value.length === ISSUED_ACCESS_KEY_ID_LENGTH;

/** Long-term keys start AKIA; temporary STS credentials start ASIA and cannot be deactivated. */
export function isTemporaryKey(accessKeyId: string): boolean {
  return accessKeyId.startsWith('ASIA');
}

/** How a principal is named in records, the breaker and action targets: `user/NAME`, `role/NAME`. */
export const principalRef = (principal: { kind: string; name: string }) => `${principal.kind}/${principal.name}`;

const CREDENTIAL_PREFIX = 'credential#';

/** The record key of an access key: what a tamper report or `keystop release --access-key` names. */
export const accessKeyRecordKey = (accountId: string, accessKeyId: string) => `${CREDENTIAL_PREFIX}${accountId}#${accessKeyId}`;

/** A record key for people (`ACCOUNT#KEY`). */
export const describeRecordKey = (key: string) => (key.startsWith(CREDENTIAL_PREFIX) ? key.slice(CREDENTIAL_PREFIX.length) : key);

/**
 * What identifies "the same credential" across sources, redeliveries and regions: the owning account and the access
 * key id; where no key is named, the principal. A different session of the same role is a different credential
 * (it may have been issued after an earlier revocation), so sessions are keyed by their key id too.
 */
export function credentialKey(incident: CredentialIncident): string {
  const { credential, accountId } = incident;
  const principal = iamPrincipalOf(credential);
  if (recordedByPrincipal(credential) && principal !== undefined) {
    return `${CREDENTIAL_PREFIX}${accountId}#${principalRef(principal)}/sessions`;
  }
  switch (credential.kind) {
    case 'long-term-key':
    case 'role-session':
    case 'federated-session':
      return accessKeyRecordKey(accountId, credential.accessKeyId);
    case 'user-session':
      return `${CREDENTIAL_PREFIX}${accountId}#${credential.accessKeyId ?? `${principalRef({ kind: 'user', name: credential.userName })}/console`}`;
    case 'iam-user':
      return `${CREDENTIAL_PREFIX}${accountId}#${principalRef({ kind: 'user', name: credential.userName })}`;
    case 'root':
      return `${CREDENTIAL_PREFIX}${accountId}#root#${credential.accessKeyId ?? 'console'}`;
    case 'unmapped':
      // Nothing identifies the credential: the report does (the backup-region delivery of a notice shares its id).
      return `${CREDENTIAL_PREFIX}${accountId}#unmapped#${incident.id}`;
  }
}

/**
 * Whether every session of the credential shares one record: a credential recorded by its principal (a user's console
 * sessions, no key named). A session named by its key is a record of its own, and so is the next one.
 */
export function sessionsShareRecord(credential: Credential): boolean {
  if (recordedByPrincipal(credential)) return true;
  return (credential.kind === 'user-session' || credential.kind === 'root') && credential.accessKeyId === undefined;
}

/** A session credential whose sessions share their principal's record (see Credential's `recordedBy`). */
const recordedByPrincipal = (credential: Credential) =>
  (credential.kind === 'role-session' || credential.kind === 'user-session') && credential.recordedBy === 'principal';
