import {
  CreateRoleCommand,
  CreateUserCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../src/handlers/makeHandler';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { guardDutySource } from '../../src/sources/guardDutySource';
import { lambdaContext } from '../support/lambdaContext';
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

describe('A member role the attacker broke is retried and pages, against the local AWS emulator', () => {
  const MEMBER = '222222222222';
  const memberRole = { name: 'KeystopMember', externalId: 'keystop-test-external-id' };

  it('AccessDenied from the member role fails the invocation to be retried, with a FAILED alert naming the role and why', async () => {
    const local = await localResponder({ memberRole, guardrails: { accounts: { own: LOCAL_ACCOUNT_ID, members: [MEMBER] } } });
    // An administrator of the member account changed the role: IAM refuses whatever Keystop asks through it.
    const clientsFor = local.deps.clientsFor;
    const deps = {
      ...local.deps,
      clientsFor: (incident: Parameters<typeof clientsFor>[0]) => {
        const clients = clientsFor(incident);
        if (incident.accountId === MEMBER && !refusing.has(clients.iam)) {
          refusing.add(clients.iam);
          clients.iam.middlewareStack.add(
            () => async () => {
              throw Object.assign(new Error('User is not authorized to perform: iam:UpdateAccessKey'), {
                name: 'AccessDenied',
                $metadata: { httpStatusCode: 403 },
              });
            },
            { step: 'finalizeRequest', name: 'brokenMemberRole' },
          );
        }
        return clients;
      },
    };
    const refusing = new WeakSet<object>();
    const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
    Object.assign(event.detail, { id: uniqueName('finding'), accountId: MEMBER });
    Object.assign(event.detail.resource.accessKeyDetails, { userName: 'ci-deployer', accessKeyId: 'AKIAMEMBERBROKEN0001' });

    const failure = await makeHandler(guardDutySource, deps)(event, lambdaContext()).catch((error: unknown) => error);

    // Thrown, so that Lambda retries it and then keeps it in the failure queue, whose alarm pages.
    expect(failure).toBeInstanceOf(Error);
    const [alert] = await local.sink.drain();
    expect(alert!.attributes.outcome).toBe('failed');
    expect(alert!.text).toContain(`arn:aws:iam::${MEMBER}:role/${memberRole.name} was refused`);
    expect(alert!.text).not.toContain('retrying cannot help');
  });
});
