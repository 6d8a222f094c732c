import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  type IAMClient,
  ListRolePoliciesCommand,
  ListUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import type { TrailRecord } from '../../src/local/startLocalCloudTrail';
import { uniqueName } from './localAws';
import { clockStart, isoAt } from './testClock';

// The attacker's IAM calls with a leaked key, applied to the emulator and recorded as CloudTrail would record them.

const MINUTE = 60_000;

/** CloudTrail's record of an IAM call made with `accessKeyId`, `minutesAgo` before the clock's start. */
export function iamCall(
  accessKeyId: string,
  eventName: string,
  requestParameters: Record<string, unknown>,
  responseElements: Record<string, unknown> | null,
  minutesAgo: number,
): TrailRecord {
  return {
    eventID: uniqueName('event'),
    eventTime: isoAt(clockStart(), -minutesAgo * MINUTE),
    eventSource: 'iam.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.23',
    userIdentity: { accessKeyId, userName: 'build-bot' },
    requestParameters,
    responseElements,
  };
}

/** The leaked key creates a key for another user: applied to the emulator, and recorded as CloudTrail would. */
export async function createKeyFor(iam: IAMClient, userName: string, by: string, minutesAgo: number) {
  const made = (await iam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey!;
  const record = iamCall(
    by,
    'CreateAccessKey',
    { userName },
    { accessKey: { userName, accessKeyId: made.AccessKeyId, status: 'Active' } },
    minutesAgo,
  );
  return { accessKeyId: made.AccessKeyId!, record };
}

/** A user with one active key of its own, made before the attack. */
export async function userWithOneKey(iam: IAMClient, userName: string) {
  await iam.send(new CreateUserCommand({ UserName: userName }));
  const own = (await iam.send(new CreateAccessKeyCommand({ UserName: userName }))).AccessKey!.AccessKeyId!;
  return { userName, own };
}

export const denyOn = async (iam: IAMClient, principal: { user: string } | { role: string }) =>
  'user' in principal
    ? (await iam.send(new ListUserPoliciesCommand({ UserName: principal.user }))).PolicyNames
    : (await iam.send(new ListRolePoliciesCommand({ RoleName: principal.role }))).PolicyNames;
