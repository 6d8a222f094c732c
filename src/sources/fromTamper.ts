import { isKeystopDenyDocument, REVOKE_POLICY_NAME } from '../actions/keystopDenyPolicy';
import { globMatches } from '../domain/globMatches';
import type { TamperChange, TamperReport } from '../domain/TamperReport';
import type { CloudTrailApiCallEvent } from './CloudTrailApiCallEvent';

/** The IAM calls the tamper guard watches (serverless.yml's GuardRule names exactly these). */
export const GUARDED_CALLS = [
  'UpdateAccessKey',
  'DeleteUserPolicy',
  'DeleteRolePolicy',
  'PutUserPolicy',
  'PutRolePolicy',
  'CreateAccessKey',
  'CreateLoginProfile',
  'UpdateLoginProfile',
] as const;

/**
 * Pure: the change a successful IAM call makes that could undo or route around a containment: a key set Active,
 * Keystop's deny policy deleted or replaced by another document, a new key or console password for a user. Undefined
 * for every other call (a key set Inactive, another policy, Keystop's deny written again). Whether Keystop contained
 * anything there is decided later, against the state table.
 */
export function fromTamper(event: CloudTrailApiCallEvent, responders: readonly string[]): TamperReport | undefined {
  const record = event.detail;
  if (record.eventSource !== 'iam.amazonaws.com' || record.errorCode !== undefined) return undefined;
  const parameters = record.requestParameters ?? {};
  const text = (name: string) =>
    typeof parameters[name] === 'string' && parameters[name] !== '' ? (parameters[name] as string) : undefined;
  // Without userName, IAM applies a user's key and login calls to the caller itself.
  const user = text('userName') ?? (record.userIdentity.type === 'IAMUser' ? record.userIdentity.userName : undefined);
  const ourPolicy = text('policyName') === REVOKE_POLICY_NAME;

  let found: { change: TamperChange; principal: TamperReport['principal']; accessKeyId?: string } | undefined;
  switch (record.eventName) {
    case 'UpdateAccessKey':
      if (text('status') === 'Active' && user && text('accessKeyId')) {
        found = { change: 'key-re-enabled', principal: { kind: 'user', name: user }, accessKeyId: text('accessKeyId')! };
      }
      break;
    case 'DeleteUserPolicy':
    case 'DeleteRolePolicy':
    case 'PutUserPolicy':
    case 'PutRolePolicy': {
      const replaced = record.eventName.startsWith('Put') ? !isKeystopDenyDocument(parameters.policyDocument) : true;
      const principal = record.eventName.includes('Role')
        ? { kind: 'role' as const, name: text('roleName') }
        : { kind: 'user' as const, name: text('userName') };
      if (ourPolicy && replaced && principal.name)
        found = { change: 'deny-policy-removed', principal: { kind: principal.kind, name: principal.name } };
      break;
    }
    case 'CreateAccessKey': {
      const created = (record.responseElements?.accessKey as { accessKeyId?: unknown } | undefined)?.accessKeyId;
      if (user)
        found = {
          change: 'access-key-created',
          principal: { kind: 'user', name: user },
          ...(typeof created === 'string' ? { accessKeyId: created } : {}),
        };
      break;
    }
    case 'CreateLoginProfile':
    case 'UpdateLoginProfile':
      if (user) found = { change: 'login-profile-changed', principal: { kind: 'user', name: user } };
      break;
  }
  if (found === undefined) return undefined;
  const accountId = record.recipientAccountId ?? event.account;
  const caller = record.userIdentity;
  const actor = caller.arn ?? caller.principalId ?? caller.type ?? 'an unknown caller';
  return {
    id: `tamper:${accountId}:${record.eventID}`,
    ...found,
    accountId,
    region: record.awsRegion,
    observedAt: record.eventTime,
    api: record.eventName,
    actor,
    ...(record.sourceIPAddress ? { sourceIp: record.sourceIPAddress } : {}),
    byResponder: isResponder(caller, responders),
    eventId: record.eventID,
  };
}

/**
 * Whether the caller is one of the responders: a pattern that starts with `arn:` is matched against the caller's ARN
 * (for a role session both the STS assumed-role ARN and the role's IAM ARN), any other pattern against the user or
 * role name.
 */
function isResponder(caller: CloudTrailApiCallEvent['detail']['userIdentity'], responders: readonly string[]): boolean {
  const roleName = caller.type === 'AssumedRole' ? caller.sessionContext?.sessionIssuer?.userName : undefined;
  const name = roleName ?? caller.userName;
  const arns = [caller.arn];
  if (roleName && caller.arn) {
    const [prefix] = caller.arn.split(':assumed-role/');
    arns.push(`${prefix!.replace(':sts:', ':iam:')}:role/${roleName}`);
  }
  return responders.some((pattern) =>
    pattern.startsWith('arn:')
      ? arns.some((arn) => arn !== undefined && globMatches(pattern, arn))
      : name !== undefined && globMatches(pattern, name),
  );
}
