import {
  CreateRoleCommand,
  DeleteRolePolicyCommand,
  GetRolePolicyCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { REVOKE_POLICY_NAME } from '../../src/actions/revokeSessions';
import type { ResponsePolicy } from '../../src/decide/ResponsePolicy';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { attacker, type Caller, iamChange } from '../support/iamChanges';
import { lambdaHarness } from '../support/lambdaHarness';
import { loadFixture } from '../support/loadFixture';
import { awsEndpoint, keyStatuses, localResponder, uniqueName, userWithTwoKeys } from '../support/localAws';
import { reportAbout } from '../support/reports';
import { runCli } from '../support/runCli';

const responderRole: Caller = { kind: 'role', name: 'SecurityResponders', sourceIp: '192.0.2.7' };
const DAY = 24 * 3600_000;

/** A responder on the emulator whose deployment lists the SecurityResponders role as responders. */
async function setUp() {
  const local = await localResponder();
  const { iam, sns, dynamodb } = local.responderClients;
  const lambda = lambdaHarness(local.deps, { IAM: iam, SNS: sns, DynamoDB: dynamodb }, undefined, {
    honeyKeys: [],
    responders: [`arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/SecurityResponders`],
  });
  return { ...local, ...lambda };
}

/** A key Keystop contained (a GuardDuty Tor finding), and its user's decoy key. */
async function containedKey(context: Awaited<ReturnType<typeof setUp>>) {
  const key = await userWithTwoKeys(context.clients.iam);
  const contained = await context.deliver(
    reportAbout('guardduty-tor', { userName: key.userName, accessKeyId: key.leaked }, uniqueName('tor')),
  );
  expect(contained.responses[0]).toMatchObject({ outcome: 'contained' });
  await context.sink.drain();
  return key;
}

/** What a caller does in AWS, applied to the emulator, then delivered to Keystop as CloudTrail records it. */
async function reEnable(context: Awaited<ReturnType<typeof setUp>>, key: { userName: string; leaked: string }, caller: Caller) {
  await context.clients.iam.send(new UpdateAccessKeyCommand({ UserName: key.userName, AccessKeyId: key.leaked, Status: 'Active' }));
  return iamChange('UpdateAccessKey', { userName: key.userName, accessKeyId: key.leaked, status: 'Active' }, caller, uniqueName('update'));
}

describe('Tamper guard: a containment undone by someone else is put back', () => {
  it('a key Keystop deactivated, set Active by another principal, is deactivated again at once (decoy untouched), alerting who did it', async () => {
    const context = await setUp();
    const key = await containedKey(context);
    const event = await reEnable(context, key, attacker);

    const delivery = await context.deliver(event);

    expect(delivery.responses[0]).toMatchObject({ outcome: 'contained', reason: 'tampered' });
    expect(await keyStatuses(context.clients.iam, key.userName)).toEqual({ [key.leaked]: 'Inactive', [key.decoy]: 'Active' });
    const [alert, ...more] = await context.sink.drain();
    expect(more).toEqual([]);
    expect(alert!.subject).toMatch(/^Keystop RE-CONTAINED \(tampered\)/);
    expect(alert!.text).toContain(
      `access key ${key.leaked} was re-enabled by arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/mallory from 198.51.100.23`,
    );
  });

  it('the same CloudTrail event delivered again is a duplicate: no second write, no second alert', async () => {
    const context = await setUp();
    const key = await containedKey(context);
    const event = await reEnable(context, key, attacker);
    await context.deliver(event);
    await context.sink.drain();
    const writes = context.calls.filter((c) => c === 'IAM:UpdateAccessKey').length;

    const again = await context.deliver(event);

    expect(again.responses[0]).toMatchObject({ outcome: 'duplicate' });
    expect(context.calls.filter((c) => c === 'IAM:UpdateAccessKey')).toHaveLength(writes);
    expect(await context.sink.drain()).toEqual([]);
  });

  it('a key set Active by a responder principal is recorded as released, not undone; a later report of it is new evidence', async () => {
    const context = await setUp();
    const key = await containedKey(context);
    const event = await reEnable(context, key, responderRole);

    const delivery = await context.deliver(event);

    expect(delivery.responses[0]).toMatchObject({ outcome: 'notified', reason: 'responder-change' });
    expect(await keyStatuses(context.clients.iam, key.userName)).toEqual({ [key.leaked]: 'Active', [key.decoy]: 'Active' });
    const [alert] = await context.sink.drain();
    expect(alert!.subject).toMatch(/^Keystop RELEASED by a responder/);
    // Someone re-enabling it again is no longer tampering: it was released.
    const later = await context.deliver(await reEnable(context, key, attacker));
    expect(later.responses[0]).toMatchObject({ outcome: 'ignored', reason: 'not-guarded' });
    expect(await keyStatuses(context.clients.iam, key.userName)).toEqual({ [key.leaked]: 'Active', [key.decoy]: 'Active' });
    // A new report about the key is new evidence: contained, as the first one was (not a duplicate).
    const report = await context.deliver(
      reportAbout('guardduty-tor', { userName: key.userName, accessKeyId: key.leaked }, uniqueName('tor-again')),
    );
    expect(report.responses[0]).toMatchObject({ outcome: 'contained', reason: 'matched' });
    expect(await keyStatuses(context.clients.iam, key.userName)).toEqual({ [key.leaked]: 'Inactive', [key.decoy]: 'Active' });
  });

  it('a key Keystop never contained, set Active, is left alone and nobody is alerted', async () => {
    const context = await setUp();
    const key = await userWithTwoKeys(context.clients.iam);
    await context.clients.iam.send(new UpdateAccessKeyCommand({ UserName: key.userName, AccessKeyId: key.leaked, Status: 'Inactive' }));

    const delivery = await context.deliver(await reEnable(context, key, attacker));

    expect(delivery.responses[0]).toMatchObject({ outcome: 'ignored', reason: 'not-guarded' });
    expect(await keyStatuses(context.clients.iam, key.userName)).toEqual({ [key.leaked]: 'Active', [key.decoy]: 'Active' });
    expect(await context.sink.drain()).toEqual([]);
  });

  it('watches for the guard window (7 days), past the de-duplication window; after it, a re-enabled key is left alone', async () => {
    const context = await setUp();
    const key = await containedKey(context);
    context.clock.advance(3 * DAY);
    const inside = await context.deliver(await reEnable(context, key, attacker));
    expect(inside.responses[0]).toMatchObject({ outcome: 'contained', reason: 'tampered' });
    await context.sink.drain();

    // The re-containment starts a new window: 8 days after it, the guard has stopped watching.
    context.clock.advance(8 * DAY);
    const after = await context.deliver(await reEnable(context, key, attacker));

    expect(after.responses[0]).toMatchObject({ outcome: 'ignored', reason: 'not-guarded' });
    expect(await keyStatuses(context.clients.iam, key.userName)).toEqual({ [key.leaked]: 'Active', [key.decoy]: 'Active' });
  });

  it("Keystop's session-deny policy deleted from a role is restored, alerting who deleted it", async () => {
    const context = await setUp();
    const roleName = uniqueName('web-tier');
    await context.clients.iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    const finding = loadFixture('guardduty/role-session-exfiltration.json');
    finding.detail.accountId = LOCAL_ACCOUNT_ID;
    finding.detail.resource.accessKeyDetails.userName = roleName;
    const contained = await context.deliver(finding);
    expect(contained.responses[0]).toMatchObject({ outcome: 'contained' });
    await context.sink.drain();
    // Someone else deletes the deny policy.
    await context.clients.iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: REVOKE_POLICY_NAME }));
    const event = iamChange(
      'DeleteRolePolicy',
      { roleName, policyName: REVOKE_POLICY_NAME },
      { kind: 'role', name: 'ci-deployer', sourceIp: '203.0.113.99' },
      uniqueName('delete'),
    );

    const delivery = await context.deliver(event);

    expect(delivery.responses[0]).toMatchObject({ outcome: 'contained', reason: 'tampered' });
    const { PolicyNames } = await context.clients.iam.send(new ListRolePoliciesCommand({ RoleName: roleName }));
    expect(PolicyNames).toEqual([REVOKE_POLICY_NAME]);
    const { PolicyDocument } = await context.clients.iam.send(
      new GetRolePolicyCommand({ RoleName: roleName, PolicyName: REVOKE_POLICY_NAME }),
    );
    expect(JSON.parse(decodeURIComponent(PolicyDocument!)).Statement[0]).toMatchObject({
      Sid: 'KeystopRevokeOlderSessions',
      Effect: 'Deny',
      Action: '*',
    });
    const [alert] = await context.sink.drain();
    expect(alert!.text).toContain(`assumed-role/ci-deployer/ci-deployer-session from 203.0.113.99`);
  });

  it("Keystop's deny policy replaced by another document is restored; Keystop writing its own deny again is not tampering", async () => {
    const context = await setUp();
    const roleName = uniqueName('batch');
    await context.clients.iam.send(
      new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }) }),
    );
    const finding = loadFixture('guardduty/role-session-exfiltration.json');
    finding.detail.accountId = LOCAL_ACCOUNT_ID;
    finding.detail.resource.accessKeyDetails.userName = roleName;
    await context.deliver(finding);
    await context.sink.drain();
    const { PolicyDocument: ours } = await context.clients.iam.send(
      new GetRolePolicyCommand({ RoleName: roleName, PolicyName: REVOKE_POLICY_NAME }),
    );
    const allowAll = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    await context.clients.iam.send(
      new PutRolePolicyCommand({ RoleName: roleName, PolicyName: REVOKE_POLICY_NAME, PolicyDocument: allowAll }),
    );

    const ownRepeat = await context.deliver(
      iamChange(
        'PutRolePolicy',
        { roleName, policyName: REVOKE_POLICY_NAME, policyDocument: decodeURIComponent(ours!) },
        attacker,
        uniqueName('own'),
      ),
    );
    const replaced = await context.deliver(
      iamChange('PutRolePolicy', { roleName, policyName: REVOKE_POLICY_NAME, policyDocument: allowAll }, attacker, uniqueName('put')),
    );

    expect(ownRepeat.responses[0]).toMatchObject({ outcome: 'ignored', reason: 'not-a-compromise-signal' });
    expect(replaced.responses[0]).toMatchObject({ outcome: 'contained', reason: 'tampered' });
    const { PolicyDocument } = await context.clients.iam.send(
      new GetRolePolicyCommand({ RoleName: roleName, PolicyName: REVOKE_POLICY_NAME }),
    );
    expect(JSON.parse(decodeURIComponent(PolicyDocument!)).Statement[0]).toMatchObject({
      Sid: 'KeystopRevokeOlderSessions',
      Effect: 'Deny',
    });
  });

  it('a new access key created for a user Keystop contained alerts (the new key is left to responders)', async () => {
    const context = await setUp();
    const key = await containedKey(context);
    const event = iamChange('CreateAccessKey', { userName: key.userName }, attacker, uniqueName('create'), {
      accessKey: { accessKeyId: 'AKIAEXAMPLENEWKEY001', userName: key.userName, status: 'Active' },
    });

    const delivery = await context.deliver(event);

    expect(delivery.responses[0]).toMatchObject({ outcome: 'notified', reason: 'tampered' });
    const [alert] = await context.sink.drain();
    expect(alert!.subject).toMatch(/^Keystop TAMPERING/);
    expect(alert!.text).toContain(
      `a new access key AKIAEXAMPLENEWKEY001 was created for user ${key.userName} by arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/mallory`,
    );
    expect(await keyStatuses(context.clients.iam, key.userName)).toEqual({ [key.leaked]: 'Inactive', [key.decoy]: 'Active' });
  });
});

describe('keystop release: the sanctioned way to undo a containment', () => {
  it("reactivates exactly the key, records who and why, alerts; the guard leaves the responder's change alone; a later report is new evidence", async () => {
    const context = await setUp();
    const key = await containedKey(context);

    const { stdout } = await runCli(
      [
        'release',
        '--access-key',
        key.leaked,
        '--reason',
        'false positive: the CI key was rotated',
        '--table',
        context.tableName,
        '--topic-arn',
        context.sink.topicArn,
        '--json',
      ],
      { endpoint: awsEndpoint() },
    );
    // The responder's own UpdateAccessKey, as CloudTrail delivers it to the guard (the CLI ran as this user).
    const ownChange = iamChange(
      'UpdateAccessKey',
      { userName: key.userName, accessKeyId: key.leaked, status: 'Active' },
      { kind: 'user', name: 'jane-oncall' },
      uniqueName('release'),
    );
    const guarded = await context.deliver(ownChange);

    const [released] = JSON.parse(stdout).responses;
    expect(released).toMatchObject({ outcome: 'notified', reason: 'released' });
    expect(released.explanation).toContain('false positive: the CI key was rotated');
    expect(await keyStatuses(context.clients.iam, key.userName)).toEqual({ [key.leaked]: 'Active', [key.decoy]: 'Active' });
    const [alert, ...more] = await context.sink.drain();
    expect(more).toEqual([]);
    expect(alert!.subject).toMatch(/^Keystop RELEASED/);
    expect(alert!.text).toContain('false positive: the CI key was rotated');
    expect(guarded.responses[0]).toMatchObject({ outcome: 'ignored', reason: 'not-guarded' });
    expect(guarded.responses[0]!.explanation).toContain('released by');
    const report = await context.deliver(
      reportAbout('guardduty-tor', { userName: key.userName, accessKeyId: key.leaked }, uniqueName('tor-again')),
    );
    expect(report.responses[0]).toMatchObject({ outcome: 'contained', reason: 'matched' });
    expect(await keyStatuses(context.clients.iam, key.userName)).toEqual({ [key.leaked]: 'Inactive', [key.decoy]: 'Active' });
  });

  it('reactivates the keys deactivate-user-keys deactivated, and no other', async () => {
    const everyKey: ResponsePolicy = {
      name: 'every-key-of-the-user',
      description: 'Deactivate every active key of the user.',
      match: { source: ['guardduty'] },
      mode: 'contain',
      actions: [{ type: 'deactivate-user-keys' }],
    };
    const local = await localResponder({ policies: [everyKey] });
    const { iam, sns, dynamodb } = local.responderClients;
    const context = { ...local, ...lambdaHarness(local.deps, { IAM: iam, SNS: sns, DynamoDB: dynamodb }) };
    const [both, one] = [await userWithTwoKeys(context.clients.iam), await userWithTwoKeys(context.clients.iam)];
    // The second user's other key was Inactive before Keystop came: a release must leave it so.
    await context.clients.iam.send(new UpdateAccessKeyCommand({ UserName: one.userName, AccessKeyId: one.decoy, Status: 'Inactive' }));
    for (const key of [both, one]) {
      await context.deliver(reportAbout('guardduty-tor', { userName: key.userName, accessKeyId: key.leaked }, uniqueName('tor')));
    }
    expect(await keyStatuses(context.clients.iam, both.userName)).toEqual({ [both.leaked]: 'Inactive', [both.decoy]: 'Inactive' });
    const release = (key: string) =>
      runCli(['release', '--access-key', key, '--reason', 'a drill', '--table', context.tableName, '--json'], { endpoint: awsEndpoint() });

    const [released] = JSON.parse((await release(both.leaked)).stdout).responses;
    await release(one.leaked);

    expect(released.actions.find((a: { type: string }) => a.type === 'deactivate-user-keys')).toMatchObject({
      status: 'done',
      changedKeys: [both.decoy],
    });
    expect(await keyStatuses(context.clients.iam, both.userName)).toEqual({ [both.leaked]: 'Active', [both.decoy]: 'Active' });
    expect(await keyStatuses(context.clients.iam, one.userName)).toEqual({ [one.leaked]: 'Active', [one.decoy]: 'Inactive' });
  });

  it("deletes Keystop's deny policy from a role with --role; releasing again answers that it was released already", async () => {
    const context = await setUp();
    const roleName = uniqueName('etl');
    await context.clients.iam.send(
      new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }) }),
    );
    const finding = loadFixture('guardduty/role-session-exfiltration.json');
    finding.detail.accountId = LOCAL_ACCOUNT_ID;
    finding.detail.resource.accessKeyDetails.userName = roleName;
    const contained = await context.deliver(finding);
    expect(contained.responses[0]).toMatchObject({ outcome: 'contained' });
    const release = () =>
      runCli(['release', '--role', roleName, '--reason', 'the session was ours', '--table', context.tableName, '--json'], {
        endpoint: awsEndpoint(),
      });

    const first = JSON.parse((await release()).stdout).responses[0];
    const second = JSON.parse((await release()).stdout).responses[0];

    expect(first).toMatchObject({ outcome: 'notified', reason: 'released' });
    expect(second).toMatchObject({ outcome: 'duplicate', reason: 'released' });
    const { PolicyNames } = await context.clients.iam.send(new ListRolePoliciesCommand({ RoleName: roleName }));
    expect(PolicyNames).toEqual([]);
  });

  it('refuses to run without exactly one target, or for a key Keystop did not contain', async () => {
    const context = await setUp();
    const none = await runCli(['release', '--reason', 'x', '--table', context.tableName], { endpoint: awsEndpoint() }).catch((e) => e);
    const unknown = await runCli(['release', '--access-key', 'AKIAEXAMPLENOTOURS01', '--reason', 'x', '--table', context.tableName], {
      endpoint: awsEndpoint(),
    }).catch((e) => e);

    expect(none).toMatchObject({ code: 2, stderr: expect.stringContaining('exactly one of --incident, --access-key, --user, --role') });
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('nothing to release') });
  });
});
