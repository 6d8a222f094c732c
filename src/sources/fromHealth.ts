import { type AdaptedEvent, ignored, incidents } from '../domain/AdaptedEvent';
import { type Credential, type CredentialIncident, principalNameOf, severityLabelOf } from '../domain/CredentialIncident';
import { compact } from '../domain/compact';
import { isAccessKeyId, isTemporaryKey } from '../domain/identifiers';
import type { HealthEvent } from './HealthEvent';
import { unmappedCredential } from './unmappedCredential';

/**
 * The RISK event codes by which AWS tells an account that one of its credentials leaked, with a severity on
 * GuardDuty's scale: AWS found the key (exposed, compromised) or only suspects it; quarantine means AWS has already
 * attached its AWSCompromisedKeyQuarantine policy to the key's user.
 */
const healthCompromiseCodes: Readonly<Record<string, { severity: number; title: string }>> = {
  AWS_RISK_CREDENTIALS_EXPOSED: { severity: 8, title: 'AWS found this access key exposed publicly' },
  AWS_RISK_CREDENTIALS_COMPROMISED: { severity: 9, title: 'AWS found this access key compromised' },
  AWS_RISK_CREDENTIALS_EXPOSURE_SUSPECTED: { severity: 5, title: 'AWS suspects this access key was exposed' },
  AWS_RISK_CREDENTIALS_COMPROMISE_SUSPECTED: { severity: 5, title: 'AWS suspects this access key is compromised' },
  AWS_RISK_IAM_QUARANTINE: { severity: 8, title: 'AWS quarantined this IAM user because its key leaked' },
};

/** Turns an AWS Health RISK event into the incident(s) for the key(s) it names, or says why it is not ours. */
export function fromHealth(event: HealthEvent): AdaptedEvent {
  const { detail } = event;
  const code = healthCompromiseCodes[detail.eventTypeCode];
  if (detail.service !== 'RISK' || code === undefined) {
    return ignored(
      'not-a-compromise-signal',
      `Health event ${detail.service}/${detail.eventTypeCode} does not report a compromised credential`,
    );
  }
  const credentials = credentialsOf(event);
  // The owner is the account the notice is about: metadata, then the organization view's member, then the receiver.
  const accountId = detail.eventMetadata?.accountId ?? detail.affectedAccount ?? event.account;
  const notice = detail.communicationId ?? detail.eventArn;
  return incidents(
    credentials.map(
      (credential): CredentialIncident => ({
        // The same for the primary and the backup delivery of one notice, so that they are recognised as one.
        id: `health:${accountId}:${notice}${credentials.length > 1 ? `:${keyOf(credential)}` : ''}`,
        source: 'health',
        type: detail.eventTypeCode,
        severity: code.severity,
        severityLabel: severityLabelOf(code.severity),
        accountId,
        region: detail.eventRegion ?? event.region,
        observedAt: isoTime(detail.startTime) ?? isoTime(detail.lastUpdatedTime) ?? isoTime(event.time) ?? event.time,
        credential,
        sample: false,
        backupDelivery: detail.backupEvent === true,
        title: code.title,
        evidence: compact({
          exposedUrl: detail.eventMetadata?.exposedUrl,
          description: detail.eventDescription?.[0]?.latestDescription,
        }),
        origin: { findingId: notice, findingArn: detail.eventArn, eventId: event.id },
      }),
    ),
  );
}

/** An IAM user's ARN, as some notices name the user in their entities: arn:aws:iam::<account>:user/<path/>name. */
const USER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:user\/(?:[^/]+\/)*([\w+=,.@-]{1,64})$/;

/**
 * Every credential the event names. The current shape names the key and its user in eventMetadata; the minimal one
 * names the key only in affectedEntities or the envelope's resources, and its owner is found when it is contained;
 * some name the user by ARN. A key or value Keystop cannot act on is never dropped: it becomes an unmapped
 * credential, quoted in the alert, because AWS is saying the account may be compromised.
 */
function credentialsOf(event: HealthEvent): Credential[] {
  const { eventMetadata, affectedEntities = [] } = event.detail;
  const named = [
    ...new Set(
      [eventMetadata?.publicKey, ...affectedEntities.map((e) => e.entityValue), ...(event.resources ?? [])].filter(
        (value): value is string => value !== undefined && value.trim() !== '',
      ),
    ),
  ];
  const keys = named.filter(isAccessKeyId);
  const users = [...new Set(named.flatMap((value) => USER_ARN.exec(value)?.[1] ?? []))];
  const userName = eventMetadata?.userName ?? (users.length === 1 ? users[0] : undefined);
  // The user named in the metadata (or the only user named) owns the metadata's key, or the only key named.
  const ownerOf = (key: string) => (key === eventMetadata?.publicKey || keys.length === 1 ? userName : undefined);
  const forKeys = keys.map((accessKeyId): Credential => {
    const owner = ownerOf(accessKeyId);
    // A session key's user cannot be looked up in IAM: without an owner it is quoted for people to find.
    if (isTemporaryKey(accessKeyId))
      return owner ? { kind: 'user-session', accessKeyId, userName: owner } : unmappedCredential([accessKeyId]);
    return owner ? { kind: 'long-term-key', accessKeyId, userName: owner } : { kind: 'long-term-key', accessKeyId };
  });
  // Users named without a key of theirs in the notice (a key's owner is already covered by its key's incident).
  const owners = new Set(forKeys.map((c) => principalNameOf(c)).filter((n) => n !== undefined));
  const forUsers = [...new Set([...(keys.length === 0 && eventMetadata?.userName ? [eventMetadata.userName] : []), ...users])]
    .filter((user) => !owners.has(user))
    .map((user): Credential => ({ kind: 'iam-user', userName: user }));
  const found = [...forKeys, ...forUsers];
  if (found.length > 0) return found;
  return [unmappedCredential(named)];
}

/** Several keys in one notice: each incident's id names its key. */
function keyOf(credential: Credential): string {
  if ('accessKeyId' in credential && credential.accessKeyId) return credential.accessKeyId;
  if (credential.kind === 'iam-user') return `user/${credential.userName}`;
  return credential.kind === 'unmapped' ? `unmapped/${credential.entities.join(',')}` : credential.kind;
}

/** Health writes RFC 1123 times; the incident carries ISO 8601 like every other source. */
function isoTime(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const millis = Date.parse(value);
  return Number.isNaN(millis) ? undefined : new Date(millis).toISOString();
}
