import {
  CreateRoleCommand,
  CreateUserCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { lambdaHarness } from '../support/lambdaHarness';
import { loadFixture } from '../support/loadFixture';
import { localResponder, uniqueName } from '../support/localAws';

const DENY_ALL = 'arn:aws:iam::aws:policy/AWSDenyAll';

async function setUp() {
  const local = await localResponder();
  const { iam, sns, dynamodb } = local.responderClients;
  return { ...local, ...lambdaHarness(local.deps, { IAM: iam, SNS: sns, DynamoDB: dynamodb }) };
}

/** GuardDuty: a user's session (ASIA…) used from Tor, in the emulator's account. */
function userSessionFromTor(userName: string) {
  const event = loadFixture('guardduty/user-session-tor.json');
  event.id = uniqueName('event');
  Object.assign(event.detail, { id: uniqueName('finding'), accountId: LOCAL_ACCOUNT_ID });
  event.detail.resource.accessKeyDetails.userName = userName;
  return event;
}

function roleSessionExfiltrated(roleName: string) {
  const event = loadFixture('guardduty/role-session-exfiltration.json');
  event.id = uniqueName('event');
  Object.assign(event.detail, { id: uniqueName('finding'), accountId: LOCAL_ACCOUNT_ID });
  event.detail.resource.accessKeyDetails.userName = roleName;
  return event;
}

describe('No failure the attacker can cause is final, against the local AWS emulator', () => {
  it('a user whose inline-policy quota the attacker filled is still contained: AWSDenyAll attached, and the alert says so', async () => {
    const { clients, deliver, arm, sink } = await setUp();
    const userName = uniqueName('payroll-sync');
    await clients.iam.send(new CreateUserCommand({ UserName: userName }));
    arm({ call: 'IAM:PutUserPolicy', kind: 'limit', times: 99 });

    const delivery = await deliver(userSessionFromTor(userName));

    expect(delivery.responses[0]).toMatchObject({ outcome: 'contained' });
    const { AttachedPolicies } = await clients.iam.send(new ListAttachedUserPoliciesCommand({ UserName: userName }));
    expect(AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([DENY_ALL]);
    const [alert] = await sink.drain();
    expect(alert!.text).toContain('inline-policy quota is full (LimitExceeded)');
    expect(alert!.text).toContain(DENY_ALL);
  });

  it('a role whose inline-policy quota is full is contained the same way', async () => {
    const { clients, deliver, arm } = await setUp();
    const roleName = uniqueName('web-tier');
    await clients.iam.send(
      new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }),
    );
    arm({ call: 'IAM:PutRolePolicy', kind: 'limit', times: 99 });

    const delivery = await deliver(roleSessionExfiltrated(roleName));

    expect(delivery.responses[0]).toMatchObject({ outcome: 'contained' });
    const { AttachedPolicies } = await clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
    expect(AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([DENY_ALL]);
  });
});
