import { ListUserTagsCommand, TagUserCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../src/handlers/makeHandler';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { guardDutySource } from '../../src/sources/guardDutySource';
import { lambdaContext } from '../support/lambdaContext';
import { loadFixture } from '../support/loadFixture';
import { iamAndSns, keyStatuses, localResponder, uniqueName, userWithTwoKeys } from '../support/localAws';
import { memberAccountIam } from '../support/memberAccountIam';

const MEMBER = '222222222222';
const OUTSIDER = '333333333333';
const memberRole = { name: 'KeystopMember', externalId: 'keystop-test-external-id' };
const FINDING_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

/** A GuardDuty finding about a key in `accountId`, delivered (as GuardDuty's delegated admin does) to the security account. */
function memberFinding(accountId: string, userName: string, accessKeyId: string) {
  const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
  event.account = LOCAL_ACCOUNT_ID;
  event.detail.accountId = accountId;
  event.detail.id = FINDING_ID;
  event.detail.resource.accessKeyDetails.userName = userName;
  event.detail.resource.accessKeyDetails.accessKeyId = accessKeyId;
  return event;
}

/** The responder in the security account (moto's default), with the member role configured and MEMBER allowed. */
async function securityAccountResponder() {
  const local = await localResponder({
    memberRole,
    guardrails: { accounts: { own: LOCAL_ACCOUNT_ID, members: [MEMBER] } },
  });
  /** What the responder asked STS for: the member role sessions it opened. */
  const assumed = () => local.requests.filter((r) => r.call === 'STS:AssumeRole').map((r) => r.input);
  return { ...local, assumed, handler: makeHandler(guardDutySource, local.deps) };
}

describe("Cross-account containment through the member role, against the emulator's accounts", () => {
  it('contains a key in a member account through the member role, with the incident id in the session name', async () => {
    // Prepare: the same user name in the member account and in the security account
    const { endpoint, clients, handler, sink, assumed } = await securityAccountResponder();
    const memberIam = await memberAccountIam(MEMBER, endpoint, clients.sts);
    const userName = uniqueName('ci-deployer');
    const member = await userWithTwoKeys(memberIam, userName);
    const security = await userWithTwoKeys(clients.iam, userName);

    // Act
    const [response] = await handler(memberFinding(MEMBER, userName, member.leaked), lambdaContext());

    // Assess: the member account's key is inactive, its other key active; the security account's namesake untouched
    expect(response).toMatchObject({ outcome: 'contained', reason: 'matched' });
    expect(await keyStatuses(memberIam, userName)).toEqual({ [member.leaked]: 'Inactive', [member.decoy]: 'Active' });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [security.leaked]: 'Active', [security.decoy]: 'Active' });
    expect((await clients.iam.send(new ListUserTagsCommand({ UserName: userName }))).Tags).toEqual([]);
    const { Tags } = await memberIam.send(new ListUserTagsCommand({ UserName: userName }));
    expect(Tags).toContainEqual({ Key: 'keystop:incident', Value: `guardduty:${MEMBER}:${FINDING_ID}` });
    // Assess: one session for the whole incident (tag read, deactivation, tagging), named after the incident
    expect(assumed()).toEqual([
      {
        RoleArn: `arn:aws:iam::${MEMBER}:role/KeystopMember`,
        RoleSessionName: `guardduty-${MEMBER}-${FINDING_ID}`,
        ExternalId: memberRole.externalId,
        DurationSeconds: 900,
      },
    ]);
    const [alert] = await sink.drain();
    expect(alert!.text).toContain(MEMBER);
    expect(alert!.text).toContain(`[done] deactivate-access-key ${member.leaked}`);
  });

  it('reuses the session when the same finding is delivered again, and assumes anew for the next incident', async () => {
    const { endpoint, clients, handler, assumed } = await securityAccountResponder();
    const memberIam = await memberAccountIam(MEMBER, endpoint, clients.sts);
    const first = await userWithTwoKeys(memberIam);
    const second = await userWithTwoKeys(memberIam);

    await handler(memberFinding(MEMBER, first.userName, first.leaked), lambdaContext());
    await handler(memberFinding(MEMBER, first.userName, first.leaked), lambdaContext());
    const next = memberFinding(MEMBER, second.userName, second.leaked);
    next.detail.id = 'ffffeeeeddddccccbbbbaaaa99998888';
    await handler(next, lambdaContext());

    expect(assumed().map((input) => input.RoleSessionName)).toEqual([
      `guardduty-${MEMBER}-${FINDING_ID}`,
      `guardduty-${MEMBER}-ffffeeeeddddccccbbbbaaaa99998888`,
    ]);
    expect(await keyStatuses(memberIam, second.userName)).toEqual({ [second.leaked]: 'Inactive', [second.decoy]: 'Active' });
  });

  it('reads the exemption tag in the member account, where the principal lives', async () => {
    // Prepare: the member account's user is exempt by tag; its namesake in the security account is not
    const { endpoint, clients, handler } = await securityAccountResponder();
    const memberIam = await memberAccountIam(MEMBER, endpoint, clients.sts);
    const userName = uniqueName('break-glass');
    const member = await userWithTwoKeys(memberIam, userName);
    await userWithTwoKeys(clients.iam, userName);
    await memberIam.send(new TagUserCommand({ UserName: userName, Tags: [{ Key: 'keystop:exempt', Value: 'true' }] }));

    const [response] = await handler(memberFinding(MEMBER, userName, member.leaked), lambdaContext());

    expect(response).toMatchObject({ outcome: 'notified', reason: 'exempt-principal' });
    expect(await keyStatuses(memberIam, userName)).toEqual({ [member.leaked]: 'Active', [member.decoy]: 'Active' });
  });

  it('alerts on a finding for an account that is not allowed, and makes no call but the alert', async () => {
    const { endpoint, clients, handler, sink, calls } = await securityAccountResponder();
    const outsiderIam = await memberAccountIam(OUTSIDER, endpoint, clients.sts);
    const { userName, leaked, decoy } = await userWithTwoKeys(outsiderIam);
    calls.length = 0;

    const [response] = await handler(memberFinding(OUTSIDER, userName, leaked), lambdaContext());

    expect(response).toMatchObject({ outcome: 'notified', reason: 'account-not-allowed' });
    expect(iamAndSns(calls)).toEqual(['SNS:Publish']);
    expect(await keyStatuses(outsiderIam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
    const [alert] = await sink.drain();
    expect(alert!.text).toContain('reason: account-not-allowed');
    expect(alert!.text).toContain(`account ${OUTSIDER} is not one Keystop may act in`);
  });

  it('acts on the account in the finding body, never the envelope: a member finding delivered with an outsider envelope', async () => {
    const { endpoint, clients, handler } = await securityAccountResponder();
    const memberIam = await memberAccountIam(MEMBER, endpoint, clients.sts);
    const { userName, leaked, decoy } = await userWithTwoKeys(memberIam);
    const event = memberFinding(MEMBER, userName, leaked);
    event.account = OUTSIDER;

    const [response] = await handler(event, lambdaContext());

    expect(response).toMatchObject({ outcome: 'contained' });
    expect(await keyStatuses(memberIam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
  });
});
