import * as z from '../zod';

/**
 * What a credential made in IAM, read from CloudTrail's records of its own calls: what Keystop follows when it
 * contains that credential (docs/state-machine.md, "Following what the credential made"). Each record is CloudTrail's
 * (`detail` of an "AWS API Call via CloudTrail" event, or `CloudTrailEvent` of a LookupEvents answer); the names in it
 * are the caller's request, so they are the names the attacker chose: every one is checked against IAM's own
 * grammar, and a record that does not fit is left out, never guessed at.
 */
export type Creation =
  /** An access key the credential created, for any user (itself included): deactivated with it. */
  | { kind: 'access-key'; userName: string; accessKeyId: string; at: string }
  /** A user it created: its keys deactivated and its sessions denied. */
  | { kind: 'user'; userName: string; at: string }
  /** A role it created: its sessions denied. */
  | { kind: 'role'; roleName: string; at: string }
  /** A console password it created or changed: listed with the command to undo it (a human decides). */
  | { kind: 'login-profile'; userName: string; change: 'created' | 'changed'; at: string }
  /** A policy it attached or wrote: listed with the command to undo it (a human decides). */
  | { kind: 'policy'; on: 'user' | 'role' | 'group'; name: string; policy: string; how: 'attached' | 'inline'; at: string };

/** IAM's names: users, roles and groups are 1–64 of [\w+=,.@-]. */
const IamName = z.string().check(z.regex(/^[\w+=,.@-]{1,64}$/));
/** An access key id as IAM issues them for users (AKIA…, 16–128 characters of A–Z and 0–9). */
const AccessKeyId = z.string().check(z.regex(/^AKIA[A-Z0-9]{12,124}$/));
const PolicyArn = z.string().check(z.regex(/^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/[\w+=,.@/-]{1,512}$/));

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

const iamName = (value: unknown) => (IamName.safeParse(value).success ? (value as string) : undefined);

/** One record's creation, if it is a successful IAM call that makes something a leaked credential should not keep. */
function creationOf(record: IamCall): Creation | undefined {
  if (record.errorCode) return undefined;
  const request = record.requestParameters ?? {};
  const at = record.eventTime;
  switch (record.eventName) {
    case 'CreateAccessKey': {
      const made = (record.responseElements?.accessKey ?? {}) as { userName?: unknown; accessKeyId?: unknown };
      // Without a user name in the request, the key is the caller's own.
      const userName = iamName(made.userName ?? request.userName ?? record.userIdentity.userName);
      const accessKeyId = AccessKeyId.safeParse(made.accessKeyId).success ? (made.accessKeyId as string) : undefined;
      return userName && accessKeyId ? { kind: 'access-key', userName, accessKeyId, at } : undefined;
    }
    case 'CreateUser': {
      const userName = iamName(request.userName);
      return userName ? { kind: 'user', userName, at } : undefined;
    }
    case 'CreateRole': {
      const roleName = iamName(request.roleName);
      return roleName ? { kind: 'role', roleName, at } : undefined;
    }
    case 'CreateLoginProfile':
    case 'UpdateLoginProfile': {
      const userName = iamName(request.userName ?? record.userIdentity.userName);
      const change = record.eventName === 'CreateLoginProfile' ? 'created' : 'changed';
      return userName ? { kind: 'login-profile', userName, change, at } : undefined;
    }
    default:
      return policyChangeOf(record.eventName, request, at);
  }
}

const POLICY_CALLS: { [call: string]: { on: 'user' | 'role' | 'group'; how: 'attached' | 'inline' } } = {
  AttachUserPolicy: { on: 'user', how: 'attached' },
  AttachRolePolicy: { on: 'role', how: 'attached' },
  AttachGroupPolicy: { on: 'group', how: 'attached' },
  PutUserPolicy: { on: 'user', how: 'inline' },
  PutRolePolicy: { on: 'role', how: 'inline' },
  PutGroupPolicy: { on: 'group', how: 'inline' },
};

function policyChangeOf(eventName: string, request: { [key: string]: unknown }, at: string): Creation | undefined {
  const call = POLICY_CALLS[eventName];
  if (call === undefined) return undefined;
  const target = iamName(request[`${call.on}Name`]);
  const policy =
    call.how === 'attached'
      ? PolicyArn.safeParse(request.policyArn).success
        ? (request.policyArn as string)
        : undefined
      : iamName(request.policyName);
  return target && policy ? { kind: 'policy', on: call.on, name: target, policy, how: call.how, at } : undefined;
}

/**
 * What the credential `accessKeyId` made, oldest first, one entry per thing (a key, user or role created twice — a
 * record delivered by both the event stream and the event history — is one). Records of other callers, failed calls
 * and records that are not IAM's are left out.
 */
export function creationsOf(records: readonly unknown[], accessKeyId: string): Creation[] {
  const seen = new Map<string, Creation>();
  const parsed = records
    .map((r) => IamCall.safeParse(r))
    .flatMap((r) => (r.success && r.data.userIdentity.accessKeyId === accessKeyId ? [r.data] : []))
    .sort((a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime));
  for (const record of parsed) {
    const creation = creationOf(record);
    if (creation === undefined) continue;
    const identity = JSON.stringify({ ...creation, at: undefined });
    if (!seen.has(identity)) seen.set(identity, creation);
  }
  return [...seen.values()];
}

/** The command a responder runs to undo what Keystop lists but does not undo itself (deleting is a human's call). */
export function undoCommandOf(creation: Extract<Creation, { kind: 'login-profile' | 'policy' }>): string {
  if (creation.kind === 'login-profile') return `aws iam delete-login-profile --user-name ${creation.userName}`;
  const flag = `--${creation.on}-name ${creation.name}`;
  return creation.how === 'attached'
    ? `aws iam detach-${creation.on}-policy ${flag} --policy-arn ${creation.policy}`
    : `aws iam delete-${creation.on}-policy ${flag} --policy-name ${creation.policy}`;
}
