import { CreateAccessKeyCommand, CreateUserCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { attacker, iamChange } from '../support/iamChanges';
import { lambdaHarness } from '../support/lambdaHarness';
import { keyStatuses, localResponder, uniqueName, userWithTwoKeys } from '../support/localAws';
import { memberAccountIam } from '../support/memberAccountIam';
import { reportAbout } from '../support/reports';

const MEMBER = '222222222222';
const memberRole = { name: 'KeystopMember', externalId: 'keystop-test-external-id' };

describe("Every account guarded: a member account's IAM events, forwarded to the security account's bus (deploy/member-forward.yml)", () => {
  it("a member account's re-enabled key is put back through the forwarded event, acting through the member role", async () => {
    const local = await localResponder({ memberRole, guardrails: { accounts: { own: LOCAL_ACCOUNT_ID, members: [MEMBER] } } });
    const { iam, sns, dynamodb, sts } = local.responderClients;
    const context = { ...local, ...lambdaHarness(local.deps, { IAM: iam, SNS: sns, DynamoDB: dynamodb, STS: sts }) };
    const memberIam = await memberAccountIam(MEMBER, local.endpoint, local.clients.sts);
    const key = await userWithTwoKeys(memberIam, uniqueName('ci-deployer'));
    // Keystop's own account has a namesake user: nothing of it may be touched.
    const namesake = await userWithTwoKeys(local.clients.iam, key.userName);
    const finding = reportAbout('guardduty-tor', { userName: key.userName, accessKeyId: key.leaked }, uniqueName('tor'));
    finding.detail.accountId = MEMBER;
    expect((await context.deliver(finding)).responses[0]).toMatchObject({ outcome: 'contained' });
    await context.sink.drain();
    // The attacker re-enables the key in the member account; the member's rule forwards CloudTrail's event unchanged.
    await memberIam.send(new UpdateAccessKeyCommand({ UserName: key.userName, AccessKeyId: key.leaked, Status: 'Active' }));
    const forwarded = iamChange(
      'UpdateAccessKey',
      { userName: key.userName, accessKeyId: key.leaked, status: 'Active' },
      attacker,
      uniqueName('update'),
    );
    forwarded.account = MEMBER;
    forwarded.detail.recipientAccountId = MEMBER;
    forwarded.detail.userIdentity = { ...forwarded.detail.userIdentity, accountId: MEMBER, arn: `arn:aws:iam::${MEMBER}:user/mallory` };

    const delivery = await context.deliver(forwarded);

    expect(delivery.responses[0]).toMatchObject({ outcome: 'contained', reason: 'tampered' });
    expect(await keyStatuses(memberIam, key.userName)).toEqual({ [key.leaked]: 'Inactive', [key.decoy]: 'Active' });
    expect(await keyStatuses(local.clients.iam, key.userName)).toEqual({ [namesake.leaked]: 'Active', [namesake.decoy]: 'Active' });
    const [alert, ...more] = await context.sink.drain();
    expect(more).toEqual([]);
    expect(alert!.subject).toMatch(/^Keystop RE-CONTAINED \(tampered\)/);
    expect(alert!.text).toContain(`arn:aws:iam::${MEMBER}:user/mallory`);
  });

  it("what a member account's leaked key made there, noted from the forwarded event, is contained with it through the member role", async () => {
    const local = await localResponder({ memberRole, guardrails: { accounts: { own: LOCAL_ACCOUNT_ID, members: [MEMBER] } } });
    const { iam, sns, dynamodb, sts } = local.responderClients;
    const context = { ...local, ...lambdaHarness(local.deps, { IAM: iam, SNS: sns, DynamoDB: dynamodb, STS: sts }) };
    const memberIam = await memberAccountIam(MEMBER, local.endpoint, local.clients.sts);
    const key = await userWithTwoKeys(memberIam, uniqueName('build-bot'));
    const opsAdmin = uniqueName('ops-admin');
    await memberIam.send(new CreateUserCommand({ UserName: opsAdmin }));
    const own = (await memberIam.send(new CreateAccessKeyCommand({ UserName: opsAdmin }))).AccessKey!.AccessKeyId!;
    const made = (await memberIam.send(new CreateAccessKeyCommand({ UserName: opsAdmin }))).AccessKey!.AccessKeyId!;
    // The member's forwarder sends CloudTrail's record of the leaked key's call to the security account's bus.
    const forwarded = iamChange('CreateAccessKey', { userName: opsAdmin }, { kind: 'user', name: key.userName }, uniqueName('made'), {
      accessKey: { userName: opsAdmin, accessKeyId: made, status: 'Active' },
    });
    forwarded.account = MEMBER;
    forwarded.detail.recipientAccountId = MEMBER;
    forwarded.detail.userIdentity = { ...forwarded.detail.userIdentity, accountId: MEMBER, accessKeyId: key.leaked };
    await context.deliver(forwarded);
    const finding = reportAbout('guardduty-tor', { userName: key.userName, accessKeyId: key.leaked }, uniqueName('tor'));
    finding.detail.accountId = MEMBER;

    const delivery = await context.deliver(finding);

    expect(delivery.responses[0]).toMatchObject({ outcome: 'contained' });
    expect(await keyStatuses(memberIam, key.userName)).toEqual({ [key.leaked]: 'Inactive', [key.decoy]: 'Active' });
    expect(await keyStatuses(memberIam, opsAdmin)).toEqual({ [own]: 'Active', [made]: 'Inactive' });
    const [alert, ...more] = await context.sink.drain();
    expect(more).toEqual([]);
    expect(alert!.text).toContain(`deactivated ${made}, created for user ${opsAdmin} by the contained key`);
    expect(alert!.text).toMatch(/made in IAM: 1 found \(creation log: 1;/);
  });
});
