import { Creation, creationIdentity, type ListedCreation } from '../domain/Creation';
import * as z from '../zod';

/**
 * What a credential made in IAM, read from CloudTrail's records of its own calls. Each record is CloudTrail's
 * (`detail` of an "AWS API Call via CloudTrail" event, or `CloudTrailEvent` of a LookupEvents answer); the names in it
 * are the caller's request, so they are the names the attacker chose: every candidate is held to IAM's own grammar
 * (the Creation schema), and one that does not fit is left out, never guessed at.
 */
const IamCall = z.object({
  eventSource: z.literal('iam.amazonaws.com'),
  eventName: z.string(),
  eventTime: z.string(),
  errorCode: z.optional(z.nullable(z.string())),
  userIdentity: z.object({ accessKeyId: z.optional(z.string()), userName: z.optional(z.string()) }),
  requestParameters: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
  responseElements: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
});
type IamCall = z.infer<typeof IamCall>;

const POLICY_CALLS: { [call: string]: { on: 'user' | 'role' | 'group'; how: 'attached' | 'inline' } } = {
  AttachUserPolicy: { on: 'user', how: 'attached' },
  AttachRolePolicy: { on: 'role', how: 'attached' },
  AttachGroupPolicy: { on: 'group', how: 'attached' },
  PutUserPolicy: { on: 'user', how: 'inline' },
  PutRolePolicy: { on: 'role', how: 'inline' },
  PutGroupPolicy: { on: 'group', how: 'inline' },
};

/** What one successful call made, as the record says it (unchecked: creationsOf holds it to the schema). */
function candidateOf({ eventName, eventTime: at, requestParameters, responseElements, userIdentity }: IamCall): unknown {
  const request = requestParameters ?? {};
  switch (eventName) {
    case 'CreateAccessKey': {
      const made = (responseElements?.accessKey ?? {}) as { userName?: unknown; accessKeyId?: unknown };
      // Without a user name in the request, the key is the caller's own.
      return {
        kind: 'access-key',
        userName: made.userName ?? request.userName ?? userIdentity.userName,
        accessKeyId: made.accessKeyId,
        at,
      };
    }
    case 'CreateUser': {
      const made = (responseElements?.user ?? {}) as { userId?: unknown };
      return { kind: 'user', userName: request.userName, ...(made.userId === undefined ? {} : { userId: made.userId }), at };
    }
    case 'UpdateUser':
      // Only a rename is followed (a new path changes nothing Keystop decides on: the live path is read when following).
      if (request.newUserName === undefined) return undefined;
      return { kind: 'user-renamed', userName: request.userName ?? userIdentity.userName, newUserName: request.newUserName, at };
    case 'CreateRole':
      return { kind: 'role', roleName: request.roleName, at };
    case 'CreateLoginProfile':
    case 'UpdateLoginProfile': {
      const change = eventName === 'CreateLoginProfile' ? 'created' : 'changed';
      return { kind: 'login-profile', userName: request.userName ?? userIdentity.userName, change, at };
    }
  }
  const call = POLICY_CALLS[eventName];
  if (call === undefined) return undefined;
  const policy = call.how === 'attached' ? request.policyArn : request.policyName;
  return { kind: 'policy', on: call.on, name: request[`${call.on}Name`], policy, how: call.how, at };
}

/**
 * What the credential `accessKeyId` made, oldest first, one entry per thing (the same call delivered by the event
 * stream and by the event history is one). Records of other callers, failed calls and records that are not IAM's
 * are left out.
 */
export function creationsOf(records: readonly unknown[], accessKeyId: string): Creation[] {
  const found = new Map<string, Creation>();
  const calls = records
    .map((r) => IamCall.safeParse(r))
    .flatMap((r) => (r.success && r.data.userIdentity.accessKeyId === accessKeyId && !r.data.errorCode ? [r.data] : []))
    .sort((a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime));
  for (const call of calls) {
    const creation = Creation.safeParse(candidateOf(call));
    if (creation.success && !found.has(creationIdentity(creation.data))) found.set(creationIdentity(creation.data), creation.data);
  }
  return [...found.values()];
}

const SessionIssued = z.object({
  eventSource: z.literal('sts.amazonaws.com'),
  eventName: z.literal('GetSessionToken'),
  errorCode: z.optional(z.nullable(z.string())),
  userIdentity: z.object({ accessKeyId: z.optional(z.string()) }),
  responseElements: z.object({ credentials: z.object({ accessKeyId: z.string().check(z.regex(/^ASIA[A-Z0-9]{12,124}$/)) }) }),
});

/**
 * The session keys (ASIA…) the long-term key `accessKeyId` issued itself (`sts:GetSessionToken`, CloudTrail's
 * responseElements.credentials.accessKeyId): what they made is the key's doing too. Oldest first, once each.
 */
export function sessionKeysOf(records: readonly unknown[], accessKeyId: string): string[] {
  const keys = records
    .map((r) => SessionIssued.safeParse(r))
    .flatMap((r) => (r.success && r.data.userIdentity.accessKeyId === accessKeyId && !r.data.errorCode ? [r.data] : []))
    .map((r) => r.responseElements.credentials.accessKeyId);
  return [...new Set(keys)];
}

/** The command a responder runs to undo what Keystop lists but does not undo itself (deleting is a human's call). */
export function undoCommandOf(creation: ListedCreation): string {
  if (creation.kind === 'login-profile') return `aws iam delete-login-profile --user-name ${creation.userName}`;
  if (creation.kind === 'user-renamed')
    return `aws iam update-user --user-name ${creation.newUserName} --new-user-name ${creation.userName}`;
  const flag = `--${creation.on}-name ${creation.name}`;
  return creation.how === 'attached'
    ? `aws iam detach-${creation.on}-policy ${flag} --policy-arn ${creation.policy}`
    : `aws iam delete-${creation.on}-policy ${flag} --policy-name ${creation.policy}`;
}
