import { CreateRoleCommand, GetRolePolicyCommand, type IAMClient, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { REVOKE_POLICY_NAME } from '../../src/actions/revokeSessions';
import { defaultPolicies } from '../../src/decide/defaultPolicies';
import { makeHandler } from '../../src/handlers/makeHandler';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { cloudTrailSource } from '../../src/sources/cloudTrailSource';
import { lambdaContext } from '../support/lambdaContext';
import { localResponder, uniqueName } from '../support/localAws';
import { clockStart } from '../support/testClock';

/** The AWS CLI v2 on Kali Linux, as CloudTrail records it (the distrib fingerprint Elastic's rule keys on). */
const KALI_CLI =
  'aws-cli/2.23.6 md/awscrt#1.0.0.dev0 ua/2.0 os/linux#6.12.13-amd64 md/arch#x86_64 lang/python#3.13.2 md/pyimpl#CPython ' +
  'cfg/retry-mode#standard md/installer#source md/distrib#kali.2025 md/prompt#off md/command#sts.get-caller-identity';

async function assumableRole(iam: IAMClient): Promise<string> {
  const roleName = uniqueName('deploy-bot');
  await iam.send(
    new CreateRoleCommand({
      RoleName: roleName,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  return roleName;
}

/** CloudTrail's record of `aws sts get-caller-identity` from Kali with one session of the role, at `at`. */
function kaliCall(roleName: string, accessKeyId: string, sessionName: string, at: number) {
  const eventId = uniqueName('event');
  return {
    version: '0',
    id: uniqueName('envelope'),
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.sts',
    account: LOCAL_ACCOUNT_ID,
    time: new Date(at).toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.08',
      userIdentity: {
        type: 'AssumedRole',
        principalId: `AROAEXAMPLEDEPLOYBOT:${sessionName}`,
        arn: `arn:aws:sts::${LOCAL_ACCOUNT_ID}:assumed-role/${roleName}/${sessionName}`,
        accountId: LOCAL_ACCOUNT_ID,
        accessKeyId,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: 'AROAEXAMPLEDEPLOYBOT',
            arn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${roleName}`,
            accountId: LOCAL_ACCOUNT_ID,
            userName: roleName,
          },
        },
      },
      eventTime: new Date(at).toISOString(),
      eventSource: 'sts.amazonaws.com',
      eventName: 'GetCallerIdentity',
      awsRegion: 'us-east-1',
      sourceIPAddress: '198.51.100.23',
      userAgent: KALI_CLI,
      requestParameters: null,
      responseElements: null,
      requestID: uniqueName('request'),
      eventID: eventId,
      readOnly: true,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: LOCAL_ACCOUNT_ID,
      eventCategory: 'Management',
    },
  };
}

/** `n` real sessions of the role (the emulator's STS issues each its own ASIA key). */
async function sessions(local: Awaited<ReturnType<typeof localResponder>>, roleName: string, n: number) {
  const keys: { accessKeyId: string; sessionName: string }[] = [];
  for (let i = 0; i < n; i++) {
    const sessionName = `kali-${i}`;
    const { Credentials } = await local.clients.sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${roleName}`, RoleSessionName: sessionName }),
    );
    keys.push({ accessKeyId: Credentials!.AccessKeyId!, sessionName });
  }
  return keys;
}

describe('AssumeRole in a loop from Kali: one offensive-tool incident per role, not one per session (local AWS emulator)', () => {
  const handlerOf = (deps: Parameters<typeof makeHandler>[1]) => makeHandler(cloudTrailSource([], [], { offensiveUserAgents: true }), deps);

  it('six sessions of one role raise one ACTION NEEDED alert; the other five are duplicates; another role is its own incident', async () => {
    // Prepare: a role assumed six times (six ASIA keys), and another role assumed once
    const local = await localResponder();
    const [roleName, other] = [await assumableRole(local.clients.iam), await assumableRole(local.clients.iam)];
    const loop = await sessions(local, roleName, 6);
    const [otherSession] = await sessions(local, other, 1);
    expect(new Set(loop.map((s) => s.accessKeyId)).size).toBe(6);
    const start = clockStart();
    await local.sink.drain();

    // Act: each session calls sts:GetCallerIdentity from Kali, a few seconds apart
    const handler = handlerOf(local.deps);
    const responses = [];
    for (const [i, s] of loop.entries()) {
      responses.push(...(await handler(kaliCall(roleName, s.accessKeyId, s.sessionName, start + i * 5_000), lambdaContext())));
    }
    const [otherResponse] = await handler(kaliCall(other, otherSession!.accessKeyId, otherSession!.sessionName, start), lambdaContext());
    const alerts = await local.sink.drain();

    // Assess: one incident for the role (its first session's), one for the other role; nothing written to either role
    expect(responses.map((r) => r.outcome)).toEqual(['notified', 'duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(responses[0]).toMatchObject({
      policy: 'cloudtrail-offensive-tool-user-agent',
      incident: { type: 'OffensiveToolUserAgent:KaliLinux' },
    });
    expect(otherResponse).toMatchObject({ outcome: 'notified' });
    expect(alerts.map((a) => a.subject.startsWith('Keystop ACTION NEEDED'))).toEqual([true, true]);
    expect(alerts[0]!.text).toContain(roleName);
    expect(alerts[1]!.text).toContain(other);
    for (const role of [roleName, other]) {
      expect((await local.clients.iam.send(new ListRolePoliciesCommand({ RoleName: role }))).PolicyNames).toEqual([]);
    }
  }, 60_000);

  it('where a policy contains on it: the first session cuts off the role; a session issued before the cut-off is a duplicate, one used after it moves the cut-off', async () => {
    // Prepare
    const containOnTools = {
      name: 'contain-offensive-tools',
      description: 'This deployment cuts off a role as soon as an offensive tool uses one of its sessions.',
      match: { source: ['cloudtrail' as const], type: [{ prefix: 'OffensiveToolUserAgent:' }] },
      mode: 'contain' as const,
      actions: [{ type: 'revoke-sessions' as const }],
    };
    const local = await localResponder({ policies: [containOnTools, ...defaultPolicies] });
    const roleName = await assumableRole(local.clients.iam);
    const [a, b, c] = await sessions(local, roleName, 3);
    const start = clockStart();
    let now = start;
    local.deps.now = () => new Date(now);
    const handler = handlerOf(local.deps);
    const cutOff = async () => {
      const { PolicyDocument } = await local.clients.iam.send(
        new GetRolePolicyCommand({ RoleName: roleName, PolicyName: REVOKE_POLICY_NAME }),
      );
      return JSON.parse(decodeURIComponent(PolicyDocument!)).Statement[0].Condition.DateLessThan['aws:TokenIssueTime'];
    };

    // Act: session a at the start; session b 20 s later (inside the minute IAM takes); session c five minutes later
    const [first] = await handler(kaliCall(roleName, a!.accessKeyId, a!.sessionName, start), lambdaContext());
    const firstCutOff = await cutOff();
    now = start + 20_000;
    const [second] = await handler(kaliCall(roleName, b!.accessKeyId, b!.sessionName, now), lambdaContext());
    now = start + 5 * 60_000;
    const [third] = await handler(kaliCall(roleName, c!.accessKeyId, c!.sessionName, now), lambdaContext());

    // Assess
    expect(first).toMatchObject({ outcome: 'contained', policy: 'contain-offensive-tools' });
    expect(firstCutOff).toBe(new Date(start).toISOString());
    expect(second).toMatchObject({ outcome: 'duplicate' });
    expect(third).toMatchObject({ outcome: 'contained', reason: 'session-after-cutoff' });
    expect(await cutOff()).toBe(new Date(start + 5 * 60_000).toISOString());
  }, 60_000);
});
