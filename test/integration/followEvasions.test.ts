import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CreateUserCommand, DeleteAccessKeyCommand, UpdateUserCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REVOKE_POLICY_NAME } from '../../src/actions/keystopDenyPolicy';
import { LOCAL_CREDENTIALS } from '../../src/local/localClients';
import { type LocalCloudTrail, startLocalCloudTrail } from '../../src/local/startLocalCloudTrail';
import { iamChange } from '../support/iamChanges';
import { lambdaHarness } from '../support/lambdaHarness';
import { keyStatuses, localResponder, uniqueName, userWithTwoKeys } from '../support/localAws';
import { reportAbout } from '../support/reports';
import { createKeyFor, denyOn, iamCall, userWithOneKey } from '../support/trailCalls';

/**
 * The attacker reads docs/threat-model.md and tries to keep what it planted with the leaked key: each test plays one
 * move of the adversarial review of 2026-12-06, in the attacker's order, and asserts IAM's state afterwards.
 */
describe('The attacker tries to keep its persistence: the follow still finds it', () => {
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

  it('plants a key for another user and a backdoor user, then deletes the leaked key before the report: the report is gone, what it made is contained', async () => {
    const context = await setUp();
    const { iam } = context.clients;
    const buildBot = await userWithTwoKeys(iam, uniqueName('build-bot'));
    const opsAdmin = await userWithOneKey(iam, uniqueName('ops-admin'));
    const planted = await createKeyFor(iam, opsAdmin.userName, buildBot.leaked, 12);
    const backdoor = uniqueName('backdoor');
    await iam.send(new CreateUserCommand({ UserName: backdoor }));
    const bystander = await userWithOneKey(iam, uniqueName('bystander'));
    trail.record(planted.record, iamCall(buildBot.leaked, 'CreateUser', { userName: backdoor }, null, 11));
    await iam.send(new DeleteAccessKeyCommand({ UserName: buildBot.userName, AccessKeyId: buildBot.leaked }));

    const delivery = await context.deliver(
      reportAbout('guardduty-tor', { userName: buildBot.userName, accessKeyId: buildBot.leaked }, uniqueName('tor')),
    );

    expect(delivery.responses[0]).toMatchObject({ outcome: 'gone', reason: 'credential-gone' });
    expect(await keyStatuses(iam, opsAdmin.userName)).toEqual({ [opsAdmin.own]: 'Active', [planted.accessKeyId]: 'Inactive' });
    expect(await denyOn(iam, { user: backdoor })).toEqual([REVOKE_POLICY_NAME]);
    // Decoys: the leaked key's own user keeps its other key; a user the key did not make is untouched.
    expect(await keyStatuses(iam, buildBot.userName)).toEqual({ [buildBot.decoy]: 'Active' });
    expect(await keyStatuses(iam, bystander.userName)).toEqual({ [bystander.own]: 'Active' });
    expect(await denyOn(iam, { user: bystander.userName })).toEqual([]);
    const alerts = await context.sink.drain();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.text).toContain(`deactivated ${planted.accessKeyId}, created for user ${opsAdmin.userName} by the contained key`);
    expect(alerts[0]!.text).toMatch(/made in IAM: 2 found/);

    // The same report again: responders know, nothing is changed twice.
    const again = await context.deliver(
      reportAbout('guardduty-tor', { userName: buildBot.userName, accessKeyId: buildBot.leaked }, uniqueName('tor')),
    );
    expect(again.responses[0]).toMatchObject({ outcome: 'duplicate' });
  });

  it('creates a backdoor user with a key, renames the user (UpdateUser --new-user-name) before the report, and someone else takes the old name: the renamed user is contained by its id, the new holder of the name is not', async () => {
    const context = await setUp();
    const { iam } = context.clients;
    const buildBot = await userWithTwoKeys(iam, uniqueName('build-bot'));
    const backdoor = uniqueName('backdoor');
    const { User } = await iam.send(new CreateUserCommand({ UserName: backdoor }));
    const backdoorKey = await createKeyFor(iam, backdoor, buildBot.leaked, 9);
    trail.record(
      iamCall(buildBot.leaked, 'CreateUser', { userName: backdoor }, { user: { userName: backdoor, userId: User!.UserId } }, 10),
      backdoorKey.record,
    );
    const renamed = uniqueName('svc-reporting');
    await iam.send(new UpdateUserCommand({ UserName: backdoor, NewUserName: renamed }));
    trail.record(iamCall(buildBot.leaked, 'UpdateUser', { userName: backdoor, newUserName: renamed }, null, 8));
    // A responder (not the leaked key) creates a user under the freed name: it must stay untouched.
    const newcomer = await userWithOneKey(iam, backdoor);

    const delivery = await context.deliver(
      reportAbout('guardduty-tor', { userName: buildBot.userName, accessKeyId: buildBot.leaked }, uniqueName('tor')),
    );

    expect(delivery.responses[0]).toMatchObject({ outcome: 'contained' });
    expect(await keyStatuses(iam, renamed)).toEqual({ [backdoorKey.accessKeyId]: 'Inactive' });
    expect(await denyOn(iam, { user: renamed })).toEqual([REVOKE_POLICY_NAME]);
    expect(await keyStatuses(iam, newcomer.userName)).toEqual({ [newcomer.own]: 'Active' });
    expect(await denyOn(iam, { user: newcomer.userName })).toEqual([]);
    expect(await keyStatuses(iam, buildBot.userName)).toEqual({ [buildBot.leaked]: 'Inactive', [buildBot.decoy]: 'Active' });
    const [alert, ...more] = await context.sink.drain();
    expect(more).toEqual([]);
    expect(alert!.text).toContain(`user ${renamed}, created by the contained key`);
    expect(alert!.text).toContain(`aws iam update-user --user-name ${renamed} --new-user-name ${backdoor}`);
  });

  it('fills the creation log with 101 cheap policy writes before planting a key: the key is still followed from the log, and the alert says the list is incomplete (ACTION NEEDED)', async () => {
    // No event history: the creation log alone answers, as in a member account or within the history's lag.
    const local = await localResponder();
    const { iam, sns, dynamodb } = local.responderClients;
    const context = { ...local, ...lambdaHarness(local.deps, { IAM: iam, SNS: sns, DynamoDB: dynamodb }) };
    const buildBot = await userWithTwoKeys(local.clients.iam, uniqueName('build-bot'));
    const opsAdmin = await userWithOneKey(local.clients.iam, uniqueName('ops-admin'));
    const caller = { kind: 'user' as const, name: buildBot.userName };
    const byLeakedKey = (event: Record<string, any>) => {
      event.detail.userIdentity.accessKeyId = buildBot.leaked;
      return event;
    };
    for (let n = 0; n < 101; n++) {
      const spam = { userName: buildBot.userName, policyName: `p${n}`, policyDocument: '{}' };
      await context.deliver(byLeakedKey(iamChange('PutUserPolicy', spam, caller, uniqueName('spam'))));
    }
    const planted = await createKeyFor(local.clients.iam, opsAdmin.userName, buildBot.leaked, 1);
    const noted = await context.deliver(
      byLeakedKey(
        iamChange('CreateAccessKey', { userName: opsAdmin.userName }, caller, uniqueName('made'), planted.record.responseElements as any),
      ),
    );
    expect(noted.responses.at(-1)).toMatchObject({
      outcome: 'ignored',
      explanation: expect.stringMatching(/made access-key in \d{12}: noted/),
    });

    const contained = await context.deliver(
      reportAbout('guardduty-tor', { userName: buildBot.userName, accessKeyId: buildBot.leaked }, uniqueName('tor')),
    );

    expect(contained.responses[0]).toMatchObject({ outcome: 'contained' });
    expect(await keyStatuses(local.clients.iam, opsAdmin.userName)).toEqual({
      [opsAdmin.own]: 'Active',
      [planted.accessKeyId]: 'Inactive',
    });
    expect(await keyStatuses(local.clients.iam, buildBot.userName)).toEqual({ [buildBot.leaked]: 'Inactive', [buildBot.decoy]: 'Active' });
    const [alert, ...more] = await context.sink.drain();
    expect(more).toEqual([]);
    expect(alert!.text).toMatch(/creation log: 101, INCOMPLETE/);
    expect(alert!.text).toContain(`ACTION NEEDED: the list may be incomplete, look in CloudTrail for what ${buildBot.leaked} made`);
  });

  it('acts through a session: GetSessionToken with the leaked key, then a backdoor user and a key for another user made with the ASIA credentials; both are followed, a session of another key is not', async () => {
    const context = await setUp();
    const { iam } = context.clients;
    const buildBot = await userWithTwoKeys(iam, uniqueName('build-bot'));
    const opsAdmin = await userWithOneKey(iam, uniqueName('ops-admin'));
    const session = `ASIA${uniqueName('s')
      .replace(/[^a-z0-9]/g, '')
      .toUpperCase()
      .padEnd(16, 'X')}`;
    const otherSession = `ASIA${uniqueName('o')
      .replace(/[^a-z0-9]/g, '')
      .toUpperCase()
      .padEnd(16, 'Y')}`;
    const issued = (by: string, accessKeyId: string, minutesAgo: number) => ({
      ...iamCall(
        by,
        'GetSessionToken',
        { durationSeconds: 129600 },
        { credentials: { accessKeyId, expiration: 'Dec 8, 2026 3:00:00 AM' } },
        minutesAgo,
      ),
      eventSource: 'sts.amazonaws.com',
    });
    const backdoor = uniqueName('backdoor');
    await iam.send(new CreateUserCommand({ UserName: backdoor }));
    const planted = await createKeyFor(iam, opsAdmin.userName, session, 13);
    // The decoy key's own session (not the leaked key's) makes a key too: never followed.
    const bystander = await userWithOneKey(iam, uniqueName('bystander'));
    const byOther = await createKeyFor(iam, bystander.userName, otherSession, 12);
    trail.record(
      issued(buildBot.leaked, session, 15),
      issued(buildBot.decoy, otherSession, 14),
      iamCall(session, 'CreateUser', { userName: backdoor }, null, 14),
      planted.record,
      byOther.record,
    );

    const delivery = await context.deliver(
      reportAbout('guardduty-tor', { userName: buildBot.userName, accessKeyId: buildBot.leaked }, uniqueName('tor')),
    );

    expect(delivery.responses[0]).toMatchObject({ outcome: 'contained' });
    expect(await keyStatuses(iam, opsAdmin.userName)).toEqual({ [opsAdmin.own]: 'Active', [planted.accessKeyId]: 'Inactive' });
    expect(await denyOn(iam, { user: backdoor })).toEqual([REVOKE_POLICY_NAME]);
    expect(await keyStatuses(iam, bystander.userName)).toEqual({ [bystander.own]: 'Active', [byOther.accessKeyId]: 'Active' });
    expect(await keyStatuses(iam, buildBot.userName)).toEqual({ [buildBot.leaked]: 'Inactive', [buildBot.decoy]: 'Active' });
    const [alert, ...more] = await context.sink.drain();
    expect(more).toEqual([]);
    expect(alert!.text).toMatch(
      /made in IAM: 2 found \(creation log: 0; event history: 2 \(\d+ page\(s\), 1 session key\(s\) it issued read too/,
    );
  });
});
