import { randomBytes } from 'node:crypto';
import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  GetLoginProfileCommand,
  type IAMClient,
  NoSuchEntityException,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
  UpdateLoginProfileCommand,
} from '@aws-sdk/client-iam';
import { parsePolicyDocument } from '../actions/keystopDenyPolicy';
import { messageOf } from '../domain/errors';
import type { CloudTrailApiCallEvent } from '../sources/CloudTrailApiCallEvent';
import { GUARDED_CALLS } from '../sources/fromTamper';
import { REMEMBERED_CALLS } from '../sources/madeBy';
import type { CredentialSeeder } from './CredentialSeeder';

/** What the sandbox did with a recorded IAM call before running Keystop on its record. */
export interface ReplayedCall {
  /** The IAM API, e.g. `UpdateAccessKey`. */
  api: string;
  /** The caller, as CloudTrail names it (an ARN where it has one). */
  by: string;
  /** The user or role the call is about, where it names one. */
  principal?: { accountId: string; kind: 'user' | 'role'; name: string };
  /** Made on the emulator as the caller made it in AWS; false: why not, in `detail`. */
  applied: boolean;
  /** In words, with the seeded ids: "set access key AKIA… of user ci-deploy Active". */
  detail: string;
}

/** A CloudTrail record as EventBridge delivers it in an API-call event's detail. */
type CloudTrailRecord = CloudTrailApiCallEvent['detail'];

/** The sandbox replays exactly the IAM calls the tamper guard watches. */
type ReplayedApi = (typeof GUARDED_CALLS)[number];

export const isReplayedCall = (record: Pick<CloudTrailRecord, 'eventSource' | 'eventName'>): boolean =>
  record.eventSource === 'iam.amazonaws.com' && (GUARDED_CALLS as readonly string[]).includes(record.eventName);

/**
 * Replays one recorded IAM call (a CloudTrail record of iam.amazonaws.com) on the emulator as its caller made it in AWS:
 * the key set Active, the policy deleted or written, a key or console password created. First it seeds what the call
 * presupposes (the user or role, the key; for UpdateLoginProfile a password to update), keeping reported key ids mapped to
 * the same seeded keys as every other event of the run. A call that failed in AWS (errorCode) is not replayed, and one
 * the emulator refuses is reported, not thrown: Keystop still runs on the record, as it would in AWS.
 */
export async function applyRecordedCall(
  record: CloudTrailRecord,
  accountId: string,
  seeder: CredentialSeeder,
  iamFor: (accountId: string) => IAMClient,
  /** Called once what the call presupposes is seeded, just before the call is made: to read the state it changes. */
  beforeCall: () => Promise<void> = async () => {},
): Promise<ReplayedCall> {
  const api = record.eventName as ReplayedApi;
  const parameters = record.requestParameters ?? {};
  const text = (name: string) =>
    typeof parameters[name] === 'string' && parameters[name] !== '' ? (parameters[name] as string) : undefined;
  const roleCall = api === 'DeleteRolePolicy' || api === 'PutRolePolicy';
  // Without userName, IAM applies a user's key and login calls to the calling user itself.
  const callerUser = record.userIdentity.type === 'IAMUser' ? record.userIdentity.userName : undefined;
  const name = roleCall ? text('roleName') : (text('userName') ?? callerUser);
  const principal = name ? { accountId, kind: roleCall ? ('role' as const) : ('user' as const), name } : undefined;
  const caller = record.userIdentity;
  const by = caller.arn ?? caller.principalId ?? caller.type ?? 'an unknown caller';
  const notApplied = (detail: string): ReplayedCall => ({ api, by, ...(principal ? { principal } : {}), applied: false, detail });

  if (record.errorCode !== undefined) return notApplied(`the call failed in AWS (${record.errorCode}): nothing to replay`);
  if (principal === undefined) return notApplied(`the record names no ${roleCall ? 'role' : 'user'}`);
  try {
    const reportedKey = api === 'UpdateAccessKey' ? text('accessKeyId') : undefined;
    if (reportedKey) await seeder.seedKey(accountId, principal.name, reportedKey);
    else await seeder.seedPrincipal(accountId, principal.kind, principal.name);
    // A long-term key that makes something is seeded too: a later report naming that key meets the same seeded key,
    // and containing it follows what it made (the creation log notes it under that key).
    if (callerUser && caller.accessKeyId?.startsWith('AKIA') && (REMEMBERED_CALLS as readonly string[]).includes(api)) {
      await seeder.seedKey(accountId, callerUser, caller.accessKeyId);
    }
    await beforeCall();
    const detail = await replay(api, principal, { text, created: createdKeyIdOf(record) }, seeder, iamFor(accountId));
    return { api, by, principal, applied: true, detail };
  } catch (error) {
    return notApplied(`the emulator refused it (${messageOf(error)})`);
  }
}

async function replay(
  api: ReplayedApi,
  principal: { accountId: string; kind: 'user' | 'role'; name: string },
  { text, created: reportedCreated }: { text: (name: string) => string | undefined; created: string | undefined },
  seeder: CredentialSeeder,
  iam: IAMClient,
): Promise<string> {
  const { accountId, kind, name } = principal;
  const on = `${kind} ${name}`;
  switch (api) {
    case 'UpdateAccessKey': {
      const reported = text('accessKeyId');
      const status = text('status');
      if (reported === undefined || (status !== 'Active' && status !== 'Inactive')) {
        throw new Error('the record names no access key id and status');
      }
      const key = await seeder.seedKey(accountId, name, reported);
      await iam.send(new UpdateAccessKeyCommand({ UserName: name, AccessKeyId: key, Status: status }));
      return `set access key ${key} of ${on} ${status}`;
    }
    case 'CreateAccessKey': {
      const removed = await seeder.makeRoomFor(accountId, name);
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
      const created = AccessKey!.AccessKeyId!;
      if (reportedCreated) seeder.adoptKey(accountId, name, reportedCreated, created);
      const room = removed ? ` (after deleting the sandbox's decoy key ${removed}: IAM allows two keys per user)` : '';
      return `created access key ${created} for ${on}${room}`;
    }
    case 'DeleteUserPolicy':
    case 'DeleteRolePolicy': {
      const policyName = text('policyName');
      if (policyName === undefined) throw new Error('the record names no policy');
      if (kind === 'user') await iam.send(new DeleteUserPolicyCommand({ UserName: name, PolicyName: policyName }));
      else await iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: policyName }));
      return `deleted inline policy ${policyName} of ${on}`;
    }
    case 'PutUserPolicy':
    case 'PutRolePolicy': {
      const policyName = text('policyName');
      const document = policyDocumentOf(text('policyDocument'));
      if (policyName === undefined || document === undefined) throw new Error('the record holds no policy name and document');
      if (kind === 'user') await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: policyName, PolicyDocument: document }));
      else await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: policyName, PolicyDocument: document }));
      return `put inline policy ${policyName} on ${on}, the document as recorded`;
    }
    case 'CreateLoginProfile':
    case 'UpdateLoginProfile': {
      // CloudTrail never records the password: the replay sets a random one.
      const password = `Sandbox-${randomBytes(12).toString('base64url')}1!`;
      if (api === 'CreateLoginProfile') {
        await iam.send(new CreateLoginProfileCommand({ UserName: name, Password: password }));
        return `created a console password for ${on} (CloudTrail does not record it: a random one)`;
      }
      // The call succeeded in AWS, so the user had a password to update: seed one if the sandbox has none.
      const seeded = !(await hasLoginProfile(iam, name));
      if (seeded) await iam.send(new CreateLoginProfileCommand({ UserName: name, Password: password }));
      await iam.send(new UpdateLoginProfileCommand({ UserName: name, Password: `${password}x` }));
      const first = seeded ? ' (seeded one first to change)' : '';
      return `changed the console password of ${on}${first} (CloudTrail does not record it: a random one)`;
    }
  }
}

/** The id of the key CreateAccessKey returned, as the record's responseElements hold it. */
function createdKeyIdOf(record: CloudTrailRecord): string | undefined {
  const id = (record.responseElements?.accessKey as { accessKeyId?: unknown } | undefined)?.accessKeyId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** The recorded policy document as JSON text the emulator takes (CloudTrail's is sometimes URL-encoded). */
function policyDocumentOf(document: string | undefined): string | undefined {
  const parsed = document === undefined ? undefined : parsePolicyDocument(document);
  return parsed === undefined ? undefined : JSON.stringify(parsed);
}

async function hasLoginProfile(iam: IAMClient, userName: string): Promise<boolean> {
  try {
    await iam.send(new GetLoginProfileCommand({ UserName: userName }));
    return true;
  } catch (error) {
    if (error instanceof NoSuchEntityException) return false;
    throw error;
  }
}
