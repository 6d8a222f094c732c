import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { REVOKE_POLICY_NAME } from '../../src/actions/revokeSessions';
import type { ResponsePolicy } from '../../src/decide/ResponsePolicy';
import { makeHandler } from '../../src/handlers/makeHandler';
import { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS, LOCAL_REGION } from '../../src/local/localClients';
import { guardDutySource } from '../../src/sources/guardDutySource';
import { incidentAbout } from '../support/incidents';
import { lambdaContext } from '../support/lambdaContext';
import { loadFixture } from '../support/loadFixture';
import { iamAndSns, keyStatuses, localResponder, uniqueName, userWithTwoKeys } from '../support/localAws';
import { clockStart } from '../support/testClock';

/** A fixture finding, moved into the emulator's account and naming the given principal. */
function finding(fixture: string, details: Record<string, string>) {
  const event = loadFixture(`guardduty/${fixture}`);
  event.detail.accountId = LOCAL_ACCOUNT_ID;
  Object.assign(event.detail.resource.accessKeyDetails, details);
  return event;
}

const NOW = new Date(clockStart());
/** Where the hand-made incidents below happen: the emulator's account, now. */
const inLocalAccount = { accountId: LOCAL_ACCOUNT_ID, region: 'us-east-1', observedAt: NOW.toISOString() };

async function responder(options: Parameters<typeof localResponder>[0] = {}) {
  const local = await localResponder(options);
  local.deps.now = () => NOW;
  return { ...local, handler: makeHandler(guardDutySource, local.deps) };
}

async function inlinePolicy(iam: import('@aws-sdk/client-iam').IAMClient, kind: 'user' | 'role', name: string) {
  const { PolicyDocument } =
    kind === 'user'
      ? await iam.send(new GetUserPolicyCommand({ UserName: name, PolicyName: REVOKE_POLICY_NAME }))
      : await iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: REVOKE_POLICY_NAME }));
  return JSON.parse(decodeURIComponent(PolicyDocument!));
}

const expectedDeny = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'KeystopRevokeOlderSessions',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { DateLessThan: { 'aws:TokenIssueTime': NOW.toISOString() } },
    },
  ],
};

describe('Containment by credential kind, against the local AWS emulator', () => {
  it('contains a stolen role session with a TokenIssueTime deny; the role survives and issues new sessions', async () => {
    // Prepare
    const local = await responder();
    const { clients, handler, sink } = local;
    const roleName = uniqueName('web-tier');
    await clients.iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    const event = finding('role-session-exfiltration.json', { userName: roleName });

    // A clock the test moves: the first response at `first`, the repeat five minutes later (both before the session
    // the test assumes below is issued), so the deny's cut-off says which response wrote it.
    let now = clockStart() - 10 * 60_000;
    local.deps.now = () => new Date(now);
    const first = now;
    const second = now + 5 * 60_000;

    // Act: the same finding twice (GuardDuty re-publishes as it recurs)
    const [response] = await handler(event, lambdaContext());
    now = second;
    const [repeat] = await handler(event, lambdaContext());

    // Assess: one deny policy, cutting off tokens issued before the first response; the repeat is a duplicate and
    // does not move it
    expect(response).toMatchObject({ outcome: 'contained', reason: 'matched' });
    expect(repeat).toMatchObject({ outcome: 'duplicate' });
    const deny = await inlinePolicy(clients.iam, 'role', roleName);
    expect(deny.Statement).toEqual([
      {
        Sid: 'KeystopRevokeOlderSessions',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { DateLessThan: { 'aws:TokenIssueTime': new Date(first).toISOString() } },
      },
    ]);
    const cutoff = Date.parse(deny.Statement[0].Condition.DateLessThan['aws:TokenIssueTime']);
    const { PolicyNames } = await clients.iam.send(new ListRolePoliciesCommand({ RoleName: roleName }));
    expect(PolicyNames).toEqual([REVOKE_POLICY_NAME]);
    // The role is untouched otherwise and still issues sessions; a session issued now is issued after the cut-off,
    // so the deny (tokens issued *before* it) does not apply to it. (The emulator does not evaluate IAM conditions.)
    expect((await clients.iam.send(new GetRoleCommand({ RoleName: roleName }))).Role?.RoleName).toBe(roleName);
    const { Tags } = await clients.iam.send(new ListRoleTagsCommand({ RoleName: roleName }));
    expect(Tags).toContainEqual({ Key: 'keystop:incident', Value: `guardduty:${LOCAL_ACCOUNT_ID}:b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2` });
    const sts = new STSClient({ region: LOCAL_REGION, endpoint: local.endpoint, credentials: LOCAL_CREDENTIALS });
    const issuedAt = Date.now();
    const fresh = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${roleName}`, RoleSessionName: 'after-containment' }),
    );
    expect(fresh.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(issuedAt).toBeGreaterThanOrEqual(cutoff);
    const alerts = await sink.drain();
    expect(alerts[0]!.text).toContain(`[done] revoke-sessions role/${roleName}`);
  });

  it("contains a stolen user session at the user and leaves the user's long-term keys alone", async () => {
    const { clients, handler } = await responder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);

    const [response] = await handler(finding('user-session-tor.json', { userName }), lambdaContext());

    expect(response).toMatchObject({ outcome: 'contained', reason: 'matched' });
    expect(await inlinePolicy(clients.iam, 'user', userName)).toEqual(expectedDeny);
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
  });

  it('does not touch a principal exempt by configuration, and the alert says why', async () => {
    const { clients, handler, sink } = await responder({ guardrails: { exemptPrincipals: ['break-glass-*'] } });
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam, uniqueName('break-glass'));

    const [response] = await handler(finding('tor-ip-caller-long-term-key.json', { userName, accessKeyId: leaked }), lambdaContext());

    expect(response).toMatchObject({ outcome: 'notified', reason: 'exempt-principal' });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
    expect((await clients.iam.send(new ListUserTagsCommand({ UserName: userName }))).Tags).toEqual([]);
    const [alert] = await sink.drain();
    expect(alert!.text).toContain('reason: exempt-principal');
    expect(alert!.text).toContain('the principal is exempt from automatic containment (matches "break-glass-*")');
  });

  it('does not touch a principal exempt by its keystop:exempt tag, read live from IAM, and the alert says why', async () => {
    const { clients, handler, sink } = await responder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    await clients.iam.send(new TagUserCommand({ UserName: userName, Tags: [{ Key: 'keystop:exempt', Value: 'true' }] }));

    const [response] = await handler(finding('tor-ip-caller-long-term-key.json', { userName, accessKeyId: leaked }), lambdaContext());

    expect(response).toMatchObject({ outcome: 'notified', reason: 'exempt-principal' });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
    const [alert] = await sink.drain();
    expect(alert!.text).toContain('(tag keystop:exempt=true)');
  });

  it('never contains on a sample finding', async () => {
    const { clients, handler } = await responder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);

    const [response] = await handler(finding('sample-finding.json', { userName, accessKeyId: leaked }), lambdaContext());

    expect(response).toMatchObject({ outcome: 'notified', reason: 'sample-finding' });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
  });

  it('changes nothing in dry-run and reports what it would have done', async () => {
    const { clients, handler, sink } = await responder({ guardrails: { dryRun: true } });
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);

    const [response] = await handler(finding('tor-ip-caller-long-term-key.json', { userName, accessKeyId: leaked }), lambdaContext());

    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
    expect((await clients.iam.send(new ListUserTagsCommand({ UserName: userName }))).Tags).toEqual([]);
    expect(response?.actions).toEqual([
      { type: 'deactivate-access-key', status: 'skipped', target: leaked, reason: `dry-run: would deactivate access key ${leaked}` },
      {
        type: 'tag-principal',
        status: 'skipped',
        target: `user/${userName}`,
        reason: `dry-run: would tag user/${userName} with the incident id`,
      },
      expect.objectContaining({ type: 'notify', status: 'done' }),
      expect.objectContaining({ type: 'audit', status: 'done' }),
    ]);
    const [alert] = await sink.drain();
    expect(alert!.text).toContain('Keystop runs in dry-run mode: nothing was changed');
  });

  it('alerts on root with the reason that no action can contain it, and touches nothing', async () => {
    const { handler, calls, sink } = await responder();

    const [response] = await handler(finding('unauthorized-access-root.json', {}), lambdaContext());

    expect(response).toMatchObject({ outcome: 'notified', reason: 'no-applicable-action' });
    expect(iamAndSns(calls)).toEqual(['SNS:Publish']);
    const [alert] = await sink.drain();
    expect(alert!.text).toContain('change the root password');
  });

  it('deactivates every active key of a user only when a policy explicitly asks for it', async () => {
    const policies: ResponsePolicy[] = [
      {
        name: 'quarantined-user',
        description: 'AWS quarantined the user: deactivate all its keys.',
        match: { credentialKind: ['iam-user'] },
        mode: 'contain',
        actions: [{ type: 'deactivate-user-keys' }],
      },
      {
        name: 'keys',
        description: 'Deactivate the named key.',
        match: { credentialKind: ['long-term-key'] },
        mode: 'contain',
        actions: [{ type: 'deactivate-access-key' }],
      },
    ];
    const { clients, deps } = await responder({ policies });
    const quarantined = await userWithTwoKeys(clients.iam);
    const bystander = await userWithTwoKeys(clients.iam);
    const { respond } = await import('../../src/respond/respond');
    const quarantine = {
      source: 'cloudtrail',
      type: 'AttachUserPolicy:AWSCompromisedKeyQuarantineV2',
      severity: 8,
      severityLabel: 'HIGH',
    } as const;

    const [quarantined1] = await respond(
      {
        kind: 'incidents',
        incidents: [
          incidentAbout({ kind: 'iam-user', userName: quarantined.userName }, { ...quarantine, ...inLocalAccount, id: 'cloudtrail:q1' }),
        ],
      },
      deps,
    );
    const [single] = await respond(
      {
        kind: 'incidents',
        incidents: [
          incidentAbout(
            { kind: 'long-term-key', accessKeyId: bystander.leaked, userName: bystander.userName },
            { ...quarantine, ...inLocalAccount, id: 'cloudtrail:q2' },
          ),
        ],
      },
      deps,
    );

    expect(quarantined1).toMatchObject({ outcome: 'contained', policy: 'quarantined-user' });
    expect(await keyStatuses(clients.iam, quarantined.userName)).toEqual({
      [quarantined.leaked]: 'Inactive',
      [quarantined.decoy]: 'Inactive',
    });
    expect(single).toMatchObject({ outcome: 'contained', policy: 'keys' });
    expect(await keyStatuses(clients.iam, bystander.userName)).toEqual({ [bystander.leaked]: 'Inactive', [bystander.decoy]: 'Active' });
    const users = [quarantined.userName, bystander.userName];
    for (const UserName of users) {
      expect((await clients.iam.send(new ListUserPoliciesCommand({ UserName }))).PolicyNames).toEqual([]);
    }
  });

  it('deactivates a key whose owner the report did not name, after asking IAM whose it is', async () => {
    const { clients, deps } = await responder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const other = uniqueName('other');
    await clients.iam.send(new CreateUserCommand({ UserName: other }));
    const otherKey = (await clients.iam.send(new CreateAccessKeyCommand({ UserName: other }))).AccessKey!.AccessKeyId!;
    const { respond } = await import('../../src/respond/respond');

    const [response] = await respond(
      {
        kind: 'incidents',
        incidents: [
          incidentAbout(
            { kind: 'long-term-key', accessKeyId: leaked },
            {
              id: 'health:k1',
              source: 'health',
              type: 'AWS_RISK_CREDENTIALS_EXPOSED',
              severity: 8,
              severityLabel: 'HIGH',
              ...inLocalAccount,
            },
          ),
        ],
      },
      {
        ...deps,
        policies: [
          {
            name: 'exposed',
            description: 'd',
            match: { source: ['health'] },
            mode: 'contain',
            actions: [{ type: 'deactivate-access-key' }],
          },
        ],
      },
    );

    expect(response?.actions[0]).toMatchObject({ status: 'done', reason: `deactivated access key ${leaked} of user ${userName}` });
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    expect(await keyStatuses(clients.iam, other)).toEqual({ [otherKey]: 'Active' });
  });
});
