import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CreateRoleCommand, CreateUserCommand, GetRolePolicyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REVOKE_POLICY_NAME } from '../../src/actions/keystopDenyPolicy';
import { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS } from '../../src/local/localClients';
import { type LocalCloudTrail, startLocalCloudTrail } from '../../src/local/startLocalCloudTrail';
import { releaseContainment } from '../../src/respond/releaseContainment';
import { iamChange } from '../support/iamChanges';
import { lambdaHarness } from '../support/lambdaHarness';
import { keyStatuses, localResponder, uniqueName, userWithTwoKeys } from '../support/localAws';
import { reportAbout } from '../support/reports';
import { clockStart } from '../support/testClock';
import { createKeyFor, denyOn, iamCall, userWithOneKey } from '../support/trailCalls';

describe('Containment follows the attacker: what the leaked key made is contained with it', () => {
  let trail: LocalCloudTrail;
  beforeAll(async () => {
    trail = await startLocalCloudTrail();
  });
  afterAll(() => trail.close());

  async function setUp() {
    const local = await localResponder({
      eventHistory: () => new CloudTrailClient({ region: 'us-east-1', endpoint: trail.endpoint, credentials: LOCAL_CREDENTIALS }),
    });
    const { iam, sns, dynamodb } = local.responderClients;
    return { ...local, ...lambdaHarness(local.deps, { IAM: iam, SNS: sns, DynamoDB: dynamodb }) };
  }

  it("a key the leaked key created for another user is deactivated with it, that user's own key stays Active, one alert lists it, and release restores both", async () => {
    const context = await setUp();
    const { iam } = context.clients;
    const buildBot = await userWithTwoKeys(iam, uniqueName('build-bot'));
    const opsAdmin = await userWithOneKey(iam, uniqueName('ops-admin'));
    const created = await createKeyFor(iam, opsAdmin.userName, buildBot.leaked, 20);
    // A key created by another key's call (CloudTrail records it too): never followed.
    const ci = await userWithOneKey(iam, uniqueName('ci'));
    const byOther = await createKeyFor(iam, ci.userName, buildBot.decoy, 15);
    trail.record(created.record, byOther.record);

    const delivery = await context.deliver(
      reportAbout('guardduty-tor', { userName: buildBot.userName, accessKeyId: buildBot.leaked }, uniqueName('tor')),
    );

    expect(delivery.responses[0]).toMatchObject({ outcome: 'contained' });
    expect(await keyStatuses(iam, buildBot.userName)).toEqual({ [buildBot.leaked]: 'Inactive', [buildBot.decoy]: 'Active' });
    expect(await keyStatuses(iam, opsAdmin.userName)).toEqual({ [opsAdmin.own]: 'Active', [created.accessKeyId]: 'Inactive' });
    expect(await keyStatuses(iam, ci.userName)).toEqual({ [ci.own]: 'Active', [byOther.accessKeyId]: 'Active' });
    const alerts = await context.sink.drain();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.text).toContain(`deactivated ${created.accessKeyId}, created for user ${opsAdmin.userName} by the contained key`);
    expect(alerts[0]!.text).toMatch(/made in IAM: 1 found \(creation log: 0; event history: 1/);

    const [released] = await releaseContainment(
      { accessKeyId: buildBot.leaked },
      { accountId: LOCAL_ACCOUNT_ID, by: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/oncall`, reason: 'false positive' },
      { ...context.deps, now: () => new Date(clockStart()), state: context.deps.state! },
    );

    expect(released).toMatchObject({ outcome: 'notified', reason: 'released' });
    expect(await keyStatuses(iam, buildBot.userName)).toEqual({ [buildBot.leaked]: 'Active', [buildBot.decoy]: 'Active' });
    expect(await keyStatuses(iam, opsAdmin.userName)).toEqual({ [opsAdmin.own]: 'Active', [created.accessKeyId]: 'Active' });
  });

  it('an attacker who plants a key, then deactivates the leaked key before the report, does not escape the follow', async () => {
    const context = await setUp();
    const { iam } = context.clients;
    const buildBot = await userWithTwoKeys(iam, uniqueName('build-bot'));
    const opsAdmin = await userWithOneKey(iam, uniqueName('ops-admin'));
    const created = await createKeyFor(iam, opsAdmin.userName, buildBot.leaked, 20);
    trail.record(created.record);
    await iam.send(new UpdateAccessKeyCommand({ UserName: buildBot.userName, AccessKeyId: buildBot.leaked, Status: 'Inactive' }));

    const delivery = await context.deliver(
      reportAbout('guardduty-tor', { userName: buildBot.userName, accessKeyId: buildBot.leaked }, uniqueName('tor')),
    );

    expect(delivery.responses[0]).toMatchObject({ outcome: 'contained' });
    expect(await keyStatuses(iam, opsAdmin.userName)).toEqual({ [opsAdmin.own]: 'Active', [created.accessKeyId]: 'Inactive' });
    const alerts = await context.sink.drain();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.text).toContain(`deactivated ${created.accessKeyId}, created for user ${opsAdmin.userName} by the contained key`);
  });

  it('a user and a role the leaked key created lose their keys and sessions; a console password and a policy are listed with the command to undo them', async () => {
    const context = await setUp();
    const { iam } = context.clients;
    const buildBot = await userWithTwoKeys(iam, uniqueName('build-bot'));
    const backdoor = uniqueName('backdoor');
    const role = uniqueName('backdoor-role');
    await iam.send(new CreateUserCommand({ UserName: backdoor }));
    const backdoorKey = await createKeyFor(iam, backdoor, buildBot.leaked, 9);
    await iam.send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }));
    const policyArn = 'arn:aws:iam::aws:policy/AdministratorAccess';
    trail.record(
      iamCall(buildBot.leaked, 'CreateUser', { userName: backdoor }, null, 10),
      backdoorKey.record,
      iamCall(buildBot.leaked, 'CreateLoginProfile', { userName: backdoor }, null, 8),
      iamCall(buildBot.leaked, 'CreateRole', { roleName: role }, null, 7),
      iamCall(buildBot.leaked, 'AttachRolePolicy', { roleName: role, policyArn }, null, 6),
    );

    const delivery = await context.deliver(
      reportAbout('guardduty-tor', { userName: buildBot.userName, accessKeyId: buildBot.leaked }, uniqueName('tor')),
    );

    expect(delivery.responses[0]).toMatchObject({ outcome: 'contained' });
    expect(await keyStatuses(iam, backdoor)).toEqual({ [backdoorKey.accessKeyId]: 'Inactive' });
    expect(await denyOn(iam, { user: backdoor })).toEqual([REVOKE_POLICY_NAME]);
    expect(await denyOn(iam, { role })).toEqual([REVOKE_POLICY_NAME]);
    // The attacker's own role and user: every session denied, a role assumed again or a password used later too.
    const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: REVOKE_POLICY_NAME }));
    expect(JSON.parse(decodeURIComponent(PolicyDocument!)).Statement).toEqual([
      { Sid: 'KeystopRevokeOlderSessions', Effect: 'Deny', Action: '*', Resource: '*' },
    ]);
    const alerts = await context.sink.drain();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.text).toContain(`aws iam delete-login-profile --user-name ${backdoor}`);
    expect(alerts[0]!.text).toContain(`aws iam detach-role-policy --role-name ${role} --policy-arn ${policyArn}`);

    await releaseContainment(
      { accessKeyId: buildBot.leaked },
      { accountId: LOCAL_ACCOUNT_ID, by: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/oncall`, reason: 'false positive' },
      { ...context.deps, now: () => new Date(clockStart()), state: context.deps.state! },
    );

    expect(await keyStatuses(iam, backdoor)).toEqual({ [backdoorKey.accessKeyId]: 'Active' });
    expect(await denyOn(iam, { user: backdoor })).toEqual([]);
    expect(await denyOn(iam, { role })).toEqual([]);
  });

  it("never changes what it must not: a created key of an exempt user, a role that is Keystop's own", async () => {
    const local = await localResponder({
      eventHistory: () => new CloudTrailClient({ region: 'us-east-1', endpoint: trail.endpoint, credentials: LOCAL_CREDENTIALS }),
      guardrails: {
        exemptPrincipals: ['break-glass-*'],
        ownRoles: { functionRoleNames: ['keystop-prod-guardduty'], memberRoleName: undefined },
      },
    });
    const { iam, sns, dynamodb } = local.responderClients;
    const context = { ...local, ...lambdaHarness(local.deps, { IAM: iam, SNS: sns, DynamoDB: dynamodb }) };
    const buildBot = await userWithTwoKeys(local.clients.iam, uniqueName('build-bot'));
    const breakGlass = await userWithOneKey(local.clients.iam, uniqueName('break-glass'));
    const created = await createKeyFor(local.clients.iam, breakGlass.userName, buildBot.leaked, 5);
    await local.clients.iam
      .send(
        new CreateRoleCommand({ RoleName: 'keystop-prod-guardduty', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }),
      )
      .catch(() => undefined);
    trail.record(created.record, iamCall(buildBot.leaked, 'CreateRole', { roleName: 'keystop-prod-guardduty' }, null, 4));

    const delivery = await context.deliver(
      reportAbout('guardduty-tor', { userName: buildBot.userName, accessKeyId: buildBot.leaked }, uniqueName('tor')),
    );

    expect(delivery.responses[0]).toMatchObject({ outcome: 'contained' });
    expect((await keyStatuses(local.clients.iam, breakGlass.userName))[created.accessKeyId]).toBe('Active');
    expect(await denyOn(local.clients.iam, { role: 'keystop-prod-guardduty' })).toEqual([]);
    const text = (await context.sink.drain()).map((a) => a.text).join('\n');
    expect(text).toMatch(/exempt-principal: user break-glass-\S+ matches the exemption break-glass-\*/);
    expect(text).toContain('keystop-own-principal');
  });

  it('what the event stream delivered is followed at once, from the creation log, before the event history shows it', async () => {
    // No event history at all: only the guard's events, as they arrive within seconds of each call.
    const local = await localResponder();
    const { iam, sns, dynamodb } = local.responderClients;
    const context = { ...local, ...lambdaHarness(local.deps, { IAM: iam, SNS: sns, DynamoDB: dynamodb }) };
    const buildBot = await userWithTwoKeys(local.clients.iam, uniqueName('build-bot'));
    const opsAdmin = await userWithOneKey(local.clients.iam, uniqueName('ops-admin'));
    const backdoor = uniqueName('backdoor');
    const made = await createKeyFor(local.clients.iam, opsAdmin.userName, buildBot.leaked, 1);
    await local.clients.iam.send(new CreateUserCommand({ UserName: backdoor }));
    const byLeakedKey = (event: Record<string, any>) => {
      event.detail.userIdentity.accessKeyId = buildBot.leaked;
      return event;
    };
    const caller = { kind: 'user' as const, name: buildBot.userName };
    const keyEvent = byLeakedKey(
      iamChange('CreateAccessKey', { userName: opsAdmin.userName }, caller, uniqueName('made'), made.record.responseElements as any),
    );
    const userEvent = byLeakedKey(iamChange('CreateUser', { userName: backdoor }, caller, uniqueName('made')));

    const noted = [await context.deliver(keyEvent), await context.deliver(userEvent)];

    expect(noted.map((d) => d.responses.at(-1))).toMatchObject([
      { outcome: 'ignored', explanation: expect.stringMatching(/made access-key in \d{12}: noted/) },
      { outcome: 'ignored', explanation: expect.stringMatching(/made user in \d{12}: noted/) },
    ]);
    const contained = await context.deliver(
      reportAbout('guardduty-tor', { userName: buildBot.userName, accessKeyId: buildBot.leaked }, uniqueName('tor')),
    );

    expect(contained.responses[0]).toMatchObject({ outcome: 'contained' });
    expect(await keyStatuses(local.clients.iam, opsAdmin.userName)).toEqual({ [opsAdmin.own]: 'Active', [made.accessKeyId]: 'Inactive' });
    expect(await denyOn(local.clients.iam, { user: backdoor })).toEqual([REVOKE_POLICY_NAME]);
    const [alert, ...more] = await context.sink.drain();
    expect(more).toEqual([]);
    expect(alert!.text).toMatch(/made in IAM: 2 found \(creation log: 2; event history: not read/);
  });
});
