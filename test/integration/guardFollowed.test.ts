import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CreateRoleCommand, DeleteRolePolicyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REVOKE_POLICY_NAME } from '../../src/actions/keystopDenyPolicy';
import { guardPermissions } from '../../src/decide/requiredPermissions';
import { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS } from '../../src/local/localClients';
import { type LocalCloudTrail, startLocalCloudTrail } from '../../src/local/startLocalCloudTrail';
import { releaseContainment } from '../../src/respond/releaseContainment';
import { attacker, iamChange } from '../support/iamChanges';
import { lambdaHarness } from '../support/lambdaHarness';
import { keyStatuses, localResponder, uniqueName, userWithTwoKeys } from '../support/localAws';
import { reportAbout } from '../support/reports';
import { clockStart } from '../support/testClock';
import { createKeyFor, denyOn, iamCall, userWithOneKey } from '../support/trailCalls';

describe('The tamper guard watches what was followed, on behalf of the key that made it', () => {
  let trail: LocalCloudTrail;
  beforeAll(async () => {
    trail = await startLocalCloudTrail();
  });
  afterAll(() => trail.close());

  /** The leaked key of build-bot makes a key for ops-admin and a backdoor role; Keystop contains it and follows both. */
  async function containedAndFollowed() {
    const local = await localResponder({
      eventHistory: () => new CloudTrailClient({ region: 'us-east-1', endpoint: trail.endpoint, credentials: LOCAL_CREDENTIALS }),
    });
    const { iam, sns, dynamodb } = local.responderClients;
    const context = { ...local, ...lambdaHarness(local.deps, { IAM: iam, SNS: sns, DynamoDB: dynamodb }) };
    const buildBot = await userWithTwoKeys(context.clients.iam, uniqueName('build-bot'));
    const opsAdmin = await userWithOneKey(context.clients.iam, uniqueName('ops-admin'));
    const planted = await createKeyFor(context.clients.iam, opsAdmin.userName, buildBot.leaked, 20);
    const role = uniqueName('backdoor-role');
    await context.clients.iam.send(
      new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }),
    );
    trail.record(planted.record, iamCall(buildBot.leaked, 'CreateRole', { roleName: role }, null, 19));
    const contained = await context.deliver(
      reportAbout('guardduty-tor', { userName: buildBot.userName, accessKeyId: buildBot.leaked }, uniqueName('tor')),
    );
    expect(contained.responses[0]).toMatchObject({ outcome: 'contained' });
    expect(await keyStatuses(context.clients.iam, opsAdmin.userName)).toEqual({
      [opsAdmin.own]: 'Active',
      [planted.accessKeyId]: 'Inactive',
    });
    expect(await denyOn(context.clients.iam, { role })).toEqual([REVOKE_POLICY_NAME]);
    await context.sink.drain();
    const incidentId = (contained.responses[0] as { incident: { id: string } }).incident.id;
    return { context, buildBot, opsAdmin, planted, role, incidentId };
  }

  type Followed = Awaited<ReturnType<typeof containedAndFollowed>>;

  /** The attacker sets the planted key Active again in IAM; CloudTrail's record of it is delivered to Keystop. */
  async function reEnablePlanted({ context, opsAdmin, planted }: Followed) {
    const { userName } = opsAdmin;
    await context.clients.iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: planted.accessKeyId, Status: 'Active' }));
    const event = iamChange(
      'UpdateAccessKey',
      { userName, accessKeyId: planted.accessKeyId, status: 'Active' },
      attacker,
      uniqueName('up'),
    );
    return context.deliver(event);
  }

  /** The attacker deletes the deny on its backdoor role; CloudTrail's record of it is delivered to Keystop. */
  async function deleteRoleDeny({ context, role }: Followed) {
    await context.clients.iam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: REVOKE_POLICY_NAME }));
    return context.deliver(iamChange('DeleteRolePolicy', { roleName: role, policyName: REVOKE_POLICY_NAME }, attacker, uniqueName('del')));
  }

  const release = (followed: Followed) =>
    releaseContainment(
      { accessKeyId: followed.buildBot.leaked },
      { accountId: LOCAL_ACCOUNT_ID, by: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/oncall`, reason: 'false positive' },
      { ...followed.context.deps, now: () => new Date(clockStart()), state: followed.context.deps.state! },
    );

  it("a followed key set Active again is put back Inactive (ops-admin's own key untouched), the alert naming the creator's incident", async () => {
    const followed = await containedAndFollowed();
    const { context, buildBot, opsAdmin, planted, incidentId } = followed;
    const before = context.calls.length;

    const delivery = await reEnablePlanted(followed);

    expect(delivery.responses[0]).toMatchObject({ outcome: 'contained', reason: 'tampered' });
    expect(await keyStatuses(context.clients.iam, opsAdmin.userName)).toEqual({
      [opsAdmin.own]: 'Active',
      [planted.accessKeyId]: 'Inactive',
    });
    expect(await keyStatuses(context.clients.iam, buildBot.userName)).toEqual({
      [buildBot.leaked]: 'Inactive',
      [buildBot.decoy]: 'Active',
    });
    const alerts = await context.sink.drain();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.subject).toMatch(/^Keystop RE-CONTAINED \(tampered\)/);
    expect(alerts[0]!.text).toContain(`access key ${planted.accessKeyId} was re-enabled by arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/mallory`);
    expect(alerts[0]!.text).toContain(`key ${planted.accessKeyId} was made by ${buildBot.leaked}`);
    expect(alerts[0]!.text).toContain(`(incident ${incidentId})`);
    // Only what the guard's role is granted (serverless.yml holds it to guardPermissions).
    const iamCalls = context.calls.slice(before).filter((c) => c.startsWith('IAM:'));
    expect(iamCalls).toEqual(['IAM:UpdateAccessKey']);
    expect(guardPermissions()).toContain('iam:UpdateAccessKey');
  });

  it("the deny on a followed role, deleted, is written again; Keystop's own write of it is not taken for tampering", async () => {
    const followed = await containedAndFollowed();
    const { context, role, buildBot } = followed;

    const delivery = await deleteRoleDeny(followed);

    expect(delivery.responses[0]).toMatchObject({ outcome: 'contained', reason: 'tampered' });
    expect(await denyOn(context.clients.iam, { role })).toEqual([REVOKE_POLICY_NAME]);
    expect(await keyStatuses(context.clients.iam, buildBot.userName)).toEqual({
      [buildBot.leaked]: 'Inactive',
      [buildBot.decoy]: 'Active',
    });
    const [alert] = await context.sink.drain();
    expect(alert!.text).toContain(`role/${role} was made by ${buildBot.leaked}`);
    // CloudTrail's record of Keystop's own write (the follow's deny of every session) is not a change to undo.
    const own = await context.deliver(
      iamChange(
        'PutRolePolicy',
        {
          roleName: role,
          policyName: REVOKE_POLICY_NAME,
          policyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Sid: 'KeystopRevokeOlderSessions', Effect: 'Deny', Action: '*', Resource: '*' }],
          }),
        },
        { kind: 'role', name: 'keystop-prod-guard' },
        uniqueName('put'),
      ),
    );
    expect(own.responses[0]).toMatchObject({ outcome: 'ignored' });
    expect(await context.sink.drain()).toEqual([]);
  });

  it("after a release of the creator's incident, a re-enabled followed key and a deleted deny are left alone", async () => {
    const followed = await containedAndFollowed();
    const { context, buildBot, opsAdmin, planted, role } = followed;
    const [released] = await release(followed);
    expect(released).toMatchObject({ outcome: 'notified', reason: 'released' });
    expect(await keyStatuses(context.clients.iam, opsAdmin.userName)).toEqual({
      [opsAdmin.own]: 'Active',
      [planted.accessKeyId]: 'Active',
    });
    expect(await denyOn(context.clients.iam, { role })).toEqual([]);
    await context.sink.drain();
    // Its owner sets it Inactive, and later Active again: the guard no longer watches it.
    await context.clients.iam.send(
      new UpdateAccessKeyCommand({ UserName: opsAdmin.userName, AccessKeyId: planted.accessKeyId, Status: 'Inactive' }),
    );

    const delivery = await reEnablePlanted(followed);
    const roleChange = await context.deliver(
      iamChange('DeleteRolePolicy', { roleName: role, policyName: REVOKE_POLICY_NAME }, attacker, uniqueName('del')),
    );

    expect(delivery.responses[0]).toMatchObject({ outcome: 'ignored', reason: 'not-guarded' });
    expect(roleChange.responses[0]).toMatchObject({ outcome: 'ignored', reason: 'not-guarded' });
    expect(await keyStatuses(context.clients.iam, opsAdmin.userName)).toEqual({
      [opsAdmin.own]: 'Active',
      [planted.accessKeyId]: 'Active',
    });
    expect(await keyStatuses(context.clients.iam, buildBot.userName)).toEqual({ [buildBot.leaked]: 'Active', [buildBot.decoy]: 'Active' });
    expect(await denyOn(context.clients.iam, { role })).toEqual([]);
    expect(await context.sink.drain()).toEqual([]);
  });
});
