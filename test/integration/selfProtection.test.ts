import { CreateRoleCommand, type IAMClient, ListRolePoliciesCommand, ListRoleTagsCommand, ListUserTagsCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import type { Guardrails } from '../../src/decide/Guardrails';
import { makeHandler } from '../../src/handlers/makeHandler';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { formatChatbotNotification } from '../../src/report/notify/formatChatbotNotification';
import { guardDutySource } from '../../src/sources/guardDutySource';
import { lambdaContext } from '../support/lambdaContext';
import { loadFixture } from '../support/loadFixture';
import { iamAndSns, keyStatuses, localResponder, uniqueName, userWithTwoKeys } from '../support/localAws';
import { memberAccountIam } from '../support/memberAccountIam';

const memberRole = { name: 'KeystopMember', externalId: 'keystop-test-external-id' };
const OUTSIDER = '999999999999';
const trust = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' }],
});

async function responder(guardrails: Partial<Guardrails> = {}, member = false) {
  const local = await localResponder({ guardrails, ...(member ? { memberRole } : {}) });
  const assumed = () => local.requests.filter((r) => r.call === 'STS:AssumeRole').map((r) => r.input.RoleArn);
  return { ...local, assumed, handler: makeHandler(guardDutySource, local.deps) };
}

/** A role session finding (instance credentials used outside AWS) about the given role, in the emulator's account. */
function roleSessionFinding(roleName: string) {
  const event = loadFixture('guardduty/role-session-exfiltration.json');
  event.detail.accountId = LOCAL_ACCOUNT_ID;
  event.detail.resource.accessKeyDetails.userName = roleName;
  return event;
}

function keyFinding(userName: string, accessKeyId: string, region = 'us-east-1') {
  const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
  event.detail.accountId = LOCAL_ACCOUNT_ID;
  event.detail.region = region;
  Object.assign(event.detail.resource.accessKeyDetails, { userName, accessKeyId });
  return event;
}

const writes = (calls: string[]) => calls.filter((c) => /^IAM:(Update|Put|Tag|Untag|Delete|Attach|Detach|Create)/.test(c));

async function untouchedRole(iam: IAMClient, roleName: string) {
  expect((await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames).toEqual([]);
  expect((await iam.send(new ListRoleTagsCommand({ RoleName: roleName }))).Tags).toEqual([]);
}

describe('Keystop cannot be turned on itself, against the local AWS emulator', () => {
  it('changes nothing about a finding on one of its own function roles, and alerts with the reason', async () => {
    const roleName = uniqueName('keystop-prod-GuardDutyResponderRole');
    const { clients, handler, calls, sink } = await responder({
      ownRoles: { functionRoleNames: [roleName], memberRoleName: 'KeystopMember' },
    });
    await clients.iam.send(new CreateRoleCommand({ RoleName: roleName, Path: '/keystop/prod/', AssumeRolePolicyDocument: trust }));

    const [response] = await handler(roleSessionFinding(roleName), lambdaContext());

    expect(response).toMatchObject({ outcome: 'notified', reason: 'keystop-own-principal' });
    await untouchedRole(clients.iam, roleName);
    // Refused before any IAM call: not even the tag read.
    expect(iamAndSns(calls)).toEqual(['SNS:Publish']);
    const [alert] = await sink.drain();
    expect(alert!.document.response.reason).toBe('keystop-own-principal');
    expect(alert!.text).toContain('Keystop itself may be compromised');
  });

  it("contains a role an attacker created at /keystop/anything/ and used from Tor: a path is not Keystop's identity", async () => {
    const roleName = uniqueName('pivot');
    const { clients, handler, sink } = await responder({
      ownRoles: { functionRoleNames: [uniqueName('keystop-prod-GuardDutyResponderRole')], memberRoleName: 'KeystopMember' },
    });
    await clients.iam.send(new CreateRoleCommand({ RoleName: roleName, Path: '/keystop/anything/', AssumeRolePolicyDocument: trust }));
    const event = roleSessionFinding(roleName);
    event.detail.type = 'UnauthorizedAccess:IAMUser/TorIPCaller';

    const [response] = await handler(event, lambdaContext());

    expect(response).toMatchObject({ outcome: 'contained', reason: 'matched', policy: 'guardduty-key-used-by-attacker' });
    expect((await clients.iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames).toEqual([
      'keystop-revoke-older-sessions',
    ]);
    const [alert] = await sink.drain();
    expect(alert!.text).not.toContain("one of Keystop's own");
  });

  it("contains a role named like the member role in Keystop's own account, where the member role never is", async () => {
    const { clients, handler } = await responder({ ownRoles: { functionRoleNames: [], memberRoleName: memberRole.name } }, true);
    const roleName = memberRole.name;
    await clients.iam
      .send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: trust }))
      .catch((error: Error) => expect(error.name).toBe('EntityAlreadyExistsException'));
    const event = roleSessionFinding(roleName);
    event.detail.type = 'UnauthorizedAccess:IAMUser/TorIPCaller';
    event.detail.resource.accessKeyDetails.accessKeyId = 'ASIAMEMBERNAMEHOME01';

    const [response] = await handler(event, lambdaContext());

    expect(response).toMatchObject({ outcome: 'contained', reason: 'matched' });
  });

  it('changes nothing about a finding on the member role in a member account, and never assumes it for that', async () => {
    const { handler, calls, assumed, sink } = await responder(
      {
        accounts: { own: LOCAL_ACCOUNT_ID, members: ['222222222222'] },
        ownRoles: { functionRoleNames: [], memberRoleName: memberRole.name },
      },
      true,
    );
    const event = roleSessionFinding(memberRole.name);
    event.detail.accountId = '222222222222';

    const [response] = await handler(event, lambdaContext());

    expect(response).toMatchObject({ outcome: 'notified', reason: 'keystop-own-principal' });
    expect(assumed()).toEqual([]);
    expect(iamAndSns(calls)).toEqual(['SNS:Publish']);
    expect((await sink.drain())[0]!.document.response.explanation).toContain("Keystop's member role");
  });

  it('does not act on an attack-sequence actor in an account outside the allow-list, even with member accounts "*"', async () => {
    const { endpoint, clients, handler, assumed, sink } = await responder({ accounts: { own: LOCAL_ACCOUNT_ID, members: ['*'] } }, true);
    const outsiderIam = await memberAccountIam(OUTSIDER, endpoint, clients.sts);
    const outsider = await userWithTwoKeys(outsiderIam);
    const insider = await userWithTwoKeys(clients.iam);
    const event = loadFixture('guardduty/attack-sequence-compromised-credentials.json');
    event.detail.accountId = LOCAL_ACCOUNT_ID;
    event.detail.service.detection.sequence.actors = [
      { id: 'a1', user: { name: outsider.userName, type: 'IAMUser', credentialUid: outsider.leaked, account: { uid: OUTSIDER } } },
      { id: 'a2', user: { name: insider.userName, type: 'IAMUser', credentialUid: insider.leaked, account: { uid: LOCAL_ACCOUNT_ID } } },
    ];

    const responses = await handler(event, lambdaContext());

    expect(responses.map((r) => [r.incident?.accountId, r.outcome, r.reason])).toEqual([
      [OUTSIDER, 'notified', 'account-not-allowed'],
      [LOCAL_ACCOUNT_ID, 'contained', 'matched'],
    ]);
    expect(await keyStatuses(outsiderIam, outsider.userName)).toEqual({ [outsider.leaked]: 'Active', [outsider.decoy]: 'Active' });
    expect(await keyStatuses(clients.iam, insider.userName)).toEqual({ [insider.leaked]: 'Inactive', [insider.decoy]: 'Active' });
    expect(assumed()).toEqual([]);
    const alerts = await sink.drain();
    expect(alerts.map((a) => a.attributes.outcome).sort()).toEqual(['contained', 'notified']);
  });
});

describe('Exemptions by ARN hold in every form, against the local AWS emulator', () => {
  it('by an ARN with a path: the role is only alerted on, its path read from IAM', async () => {
    const roleName = uniqueName('deployer');
    const { clients, handler } = await responder({ exemptPrincipals: ['arn:aws:iam::*:role/team/ci/*'] });
    await clients.iam.send(new CreateRoleCommand({ RoleName: roleName, Path: '/team/ci/', AssumeRolePolicyDocument: trust }));
    const other = uniqueName('deployer');
    await clients.iam.send(new CreateRoleCommand({ RoleName: other, Path: '/team/web/', AssumeRolePolicyDocument: trust }));

    const [exempt] = await handler(roleSessionFinding(roleName), lambdaContext());
    const otherSession = roleSessionFinding(other);
    otherSession.detail.resource.accessKeyDetails.accessKeyId = 'ASIAOTHERSESSION0001';
    const [contained] = await handler(otherSession, lambdaContext());

    expect(exempt).toMatchObject({ outcome: 'notified', reason: 'exempt-principal' });
    await untouchedRole(clients.iam, roleName);
    // The same pattern does not reach a role on another path: it is contained.
    expect(contained).toMatchObject({ outcome: 'contained', reason: 'matched' });
    expect((await clients.iam.send(new ListRolePoliciesCommand({ RoleName: other }))).PolicyNames).toHaveLength(1);
  });

  it('an IAM Identity Center role under /aws-reserved/ is never changed, exempted by ARN or not', async () => {
    const roleName = uniqueName('PowerUsers');
    const { clients, handler, calls } = await responder({ exemptPrincipals: ['arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*'] });
    await clients.iam.send(
      new CreateRoleCommand({ RoleName: roleName, Path: '/aws-reserved/sso.amazonaws.com/', AssumeRolePolicyDocument: trust }),
    );

    const [response] = await handler(roleSessionFinding(roleName), lambdaContext());

    expect(response).toMatchObject({ outcome: 'notified', reason: 'aws-managed-principal' });
    await untouchedRole(clients.iam, roleName);
    expect(writes(calls)).toEqual([]);
  });

  it('by an aws-us-gov ARN for a finding in GovCloud, and by glob: the key and its decoy stay Active', async () => {
    const gov = await userWithTwoKeys((await responder()).clients.iam, uniqueName('gov-bot'));
    const globbed = await userWithTwoKeys((await responder()).clients.iam, uniqueName('build-bot'));
    const { clients, handler } = await responder({
      exemptPrincipals: [`arn:aws-us-gov:iam::${LOCAL_ACCOUNT_ID}:user/${gov.userName}`, 'arn:aws:iam::*:user/build-bot-*'],
    });

    const [byGov] = await handler(keyFinding(gov.userName, gov.leaked, 'us-gov-west-1'), lambdaContext());
    const [byGlob] = await handler(keyFinding(globbed.userName, globbed.leaked), lambdaContext());

    expect(byGov).toMatchObject({ outcome: 'notified', reason: 'exempt-principal' });
    expect(byGlob).toMatchObject({ outcome: 'notified', reason: 'exempt-principal' });
    for (const user of [gov, globbed]) {
      expect(await keyStatuses(clients.iam, user.userName)).toEqual({ [user.leaked]: 'Active', [user.decoy]: 'Active' });
      expect((await clients.iam.send(new ListUserTagsCommand({ UserName: user.userName }))).Tags).toEqual([]);
    }
  });
});

describe('An alert built from hostile text, as subscribers receive it', () => {
  it("carries no clickable attacker URL in any format; Keystop's console links stay clickable", async () => {
    const { clients, handler, sink } = await responder();
    const user = await userWithTwoKeys(clients.iam);
    const event = keyFinding(user.userName, user.leaked);
    event.detail.title = 'Your key leaked, fix it at https://evil.example/fix?k=1';
    event.detail.description = 'See www.evil.example or evil.example/login, [here](http://evil.example/a)';
    event.detail.service.action.awsApiCallAction.userAgent.fullUserAgent = 'aws-cli/2.15.0 https://evil.example/ua';

    await handler(event, lambdaContext());

    const [alert] = await sink.drain();
    const chat = formatChatbotNotification(alert!.document);
    for (const body of [alert!.text, JSON.stringify(alert!.document), JSON.stringify(chat), alert!.subject]) {
      const withoutConsoleLinks = body.replace(/https:\/\/([a-z0-9-]+\.)?console\.aws\.amazon\.com\/[^\s)"\\]*/g, '');
      expect(withoutConsoleLinks).not.toMatch(/evil\.example/i);
      expect(withoutConsoleLinks).not.toMatch(/https?:\/\//i);
    }
    expect(alert!.text).toContain('hxxps://evil[.]example/fix?k=1');
    expect(alert!.text).toContain(alert!.document.links.cloudTrail!);
  });
});
