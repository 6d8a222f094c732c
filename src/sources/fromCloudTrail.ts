import { type AdaptedEvent, ignored, incidents } from '../domain/AdaptedEvent';
import { type Credential, type CredentialIncident, severityLabelOf } from '../domain/CredentialIncident';
import { compact } from '../domain/compact';
import { isTemporaryKey } from '../domain/identifiers';
import { type CloudTrailApiCallEvent, isQuarantineCall } from './CloudTrailApiCallEvent';
import { credentialOfPrincipal } from './credentialOfPrincipal';

/** Incident types of our own making: CloudTrail records calls, not findings. */
const HONEY_KEY_USED = 'HoneyKeyUsed';
const QUARANTINE_ATTACHED = 'QuarantinePolicyAttached';

/**
 * Turns an API call into an incident when it is one of two compromise signals: a call made with a honey key (a key
 * created only as bait, so any use is proof of compromise), or AWS attaching its quarantine policy to a user.
 */
export function fromCloudTrail(event: CloudTrailApiCallEvent, honeyKeys: readonly string[]): AdaptedEvent {
  const record = event.detail;
  const found = [honeyKeyUse(event, honeyKeys), quarantine(event)].filter((i): i is CredentialIncident => i !== undefined);
  if (found.length > 0) return incidents(found);
  if (isQuarantineCall(record) && record.errorCode !== undefined) {
    return ignored(
      'not-a-compromise-signal',
      `${record.eventName} of AWS's quarantine policy failed (${record.errorCode}): nothing changed`,
    );
  }
  return ignored(
    'not-a-compromise-signal',
    `${record.eventSource} ${record.eventName} is neither a call with a configured honey key nor AWS quarantining a user`,
  );
}

function honeyKeyUse(event: CloudTrailApiCallEvent, honeyKeys: readonly string[]): CredentialIncident | undefined {
  const record = event.detail;
  const caller = record.userIdentity;
  const accessKeyId = caller.accessKeyId;
  if (!accessKeyId || !honeyKeys.includes(accessKeyId)) return undefined;
  const credential = callerCredential(accessKeyId, caller);
  if (credential === undefined) return undefined;
  const accountId = caller.accountId ?? record.recipientAccountId ?? event.account;
  return {
    ...commonOf(event, accountId),
    type: HONEY_KEY_USED,
    ...severity(9),
    credential,
    // A failed call (AccessDenied is what a bait key usually gets) proves the compromise just as well.
    title: `Honey key ${accessKeyId} was used: ${record.eventSource} ${record.eventName}${record.errorCode ? ` (${record.errorCode})` : ''}`,
  };
}

/**
 * AWS quarantining a user whose key it found exposed, in either form: the managed AWSCompromisedKeyQuarantine* attached
 * (AttachUserPolicy), or the older inline policy of that name or AWSExposedCredentialPolicy_DO_NOT_REMOVE
 * (PutUserPolicy). The policy decides, not the caller: the managed ARN is AWS's own, and the inline names are the
 * ones AWS reserved for it (CloudTrail shows AWS's calls as "AWS Internal", "aws-internal/3 …" or a support agent).
 * Only a call that succeeded counts; both forms name the user, not the key.
 */
function quarantine(event: CloudTrailApiCallEvent): CredentialIncident | undefined {
  const record = event.detail;
  if (record.eventSource !== 'iam.amazonaws.com' || !isQuarantineCall(record) || record.errorCode !== undefined) {
    return undefined;
  }
  const parameters = record.requestParameters ?? {};
  const userName = String(parameters.userName);
  const policyName =
    typeof parameters.policyArn === 'string'
      ? parameters.policyArn.slice(parameters.policyArn.lastIndexOf('/') + 1)
      : String(parameters.policyName);
  const how = record.eventName === 'PutUserPolicy' ? 'put inline on' : 'attached to';
  // The user is in the account where the call was recorded, not necessarily the caller's.
  const accountId = record.recipientAccountId ?? event.account;
  return {
    ...commonOf(event, accountId),
    type: `${QUARANTINE_ATTACHED}:${policyName}`,
    ...severity(8),
    credential: { kind: 'iam-user', userName },
    title: `${policyName} was ${how} IAM user ${userName}: AWS found one of its keys exposed`,
  };
}

/** The caller's credential; a long-term key's owner is looked up when CloudTrail does not name it. */
export function callerCredential(accessKeyId: string, caller: CloudTrailApiCallEvent['detail']['userIdentity']): Credential | undefined {
  const roleName = caller.sessionContext?.sessionIssuer?.userName;
  const named = credentialOfPrincipal({
    accessKeyId,
    userName: caller.type === 'AssumedRole' ? roleName : caller.userName,
    userType: caller.type,
    principalId: caller.principalId,
  });
  if (named !== undefined) return named;
  // A honey key is a long-term key (AKIA): when the record does not name its user, IAM is asked at containment.
  return isTemporaryKey(accessKeyId) ? undefined : { kind: 'long-term-key', accessKeyId };
}

function severity(value: number) {
  return { severity: value, severityLabel: severityLabelOf(value) };
}

export function commonOf(event: CloudTrailApiCallEvent, accountId: string) {
  const record = event.detail;
  return {
    id: `cloudtrail:${accountId}:${record.eventID}`,
    source: 'cloudtrail' as const,
    accountId,
    region: record.awsRegion,
    observedAt: record.eventTime,
    sample: false,
    backupDelivery: false,
    evidence: compact({
      sourceIp: record.sourceIPAddress,
      api: record.eventName,
      serviceName: record.eventSource,
      userAgent: record.userAgent,
    }),
    origin: { findingId: record.eventID, eventId: event.id },
  };
}
