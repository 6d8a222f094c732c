import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  GetLoginProfileCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  ListAccessKeysCommand,
  ListUserPoliciesCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { REVOKE_POLICY_NAME } from '../../src/actions/keystopDenyPolicy';
import type { SandboxReport } from '../../src/cli/sandbox/runSandbox';
import { LOCAL_ACCOUNT_ID, localClients } from '../../src/local/localClients';
import { attacker, iamChange } from '../support/iamChanges';
import { loadFixture } from '../support/loadFixture';
import { awsEndpoint, uniqueName } from '../support/localAws';

const run = promisify(execFile);
const EXAMPLES = 'examples/tamper';

/**
 * The example sequence (examples/tamper), with its user renamed so that runs on the shared emulator never meet: a key
 * used from Tor, the key re-enabled by another principal, a session of the same user used from Tor, Keystop's deny
 * policy deleted, a new key created.
 */
async function exampleSequence(): Promise<{ user: string; files: string[] }> {
  const user = uniqueName('tamper-seq');
  const dir = await mkdtemp(join(tmpdir(), 'keystop-tamper-'));
  const files: string[] = [];
  for (const name of (await readdir(EXAMPLES)).filter((f) => f.endsWith('.json')).sort()) {
    const text = await readFile(join(EXAMPLES, name), 'utf8');
    await writeFile(join(dir, name), text.split('"ci-deploy"').join(JSON.stringify(user)));
    files.push(join(dir, name));
  }
  return { user, files };
}

async function sandbox(files: string[], json: boolean) {
  const { stdout } = await run('node', ['bin/keystop.mjs', 'sandbox', ...files, ...(json ? ['--json'] : []), '--endpoint', awsEndpoint()]);
  return stdout;
}

const keysOf = (principals: SandboxReport['principals'], user: string) =>
  Object.fromEntries(principals.find((p) => p.name === user)!.keys.map((k) => [k.accessKeyId, k.status]));
const policiesOf = (principals: SandboxReport['principals'], user: string) => principals.find((p) => p.name === user)!.inlinePolicies;

describe('keystop sandbox over a finding and the recorded IAM calls that undo its containment', () => {
  it('makes each recorded call on the emulator first, then shows the tamper guard undoing it', async () => {
    const { user, files } = await exampleSequence();

    const stdout = await sandbox(files, true);

    const [found, reEnabled, session, policyDeleted, keyCreated] = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as SandboxReport);
    expect([found, reEnabled, session, policyDeleted, keyCreated].map((r) => `${r!.outcome} (${r!.reason})`)).toEqual([
      'contained (matched)',
      'contained (tampered)',
      'contained (matched)',
      'contained (tampered)',
      'notified (tampered)',
    ]);
    // 1. The finding: the seeded stand-in for AKIAEXAMPLELEAKED001 is deactivated, the decoy left alone.
    const leaked = found!.seededKeys.find((k) => k.original === 'AKIAEXAMPLELEAKED001')!.seeded;
    const decoy = Object.keys(keysOf(found!.principals, user)).find((id) => id !== leaked)!;
    expect(keysOf(found!.principals, user)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });

    // 2. UpdateAccessKey Active by mallory: the same key id meets the same seeded key; the call made it Active, the guard
    //    made it Inactive again.
    expect(reEnabled!.seededKeys).toEqual([{ original: 'AKIAEXAMPLELEAKED001', seeded: leaked }]);
    expect(reEnabled!.recordedCall).toMatchObject({
      api: 'UpdateAccessKey',
      applied: true,
      by: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/mallory`,
    });
    expect(keysOf(reEnabled!.recordedCall!.principalsBefore, user)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    expect(keysOf(reEnabled!.principalsBefore, user)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
    expect(keysOf(reEnabled!.principals, user)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    expect(reEnabled!.notifications).toHaveLength(1);
    expect(reEnabled!.notifications[0]!.subject).toMatch(/^Keystop RE-CONTAINED \(tampered\): /);
    expect(reEnabled!.notifications[0]!.text).toContain(
      `access key ${leaked} was re-enabled by arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/mallory from 198.51.100.23`,
    );

    // 3. A session of the same user: Keystop's deny policy is written.
    expect(policiesOf(session!.principals, user)).toEqual(['keystop-revoke-older-sessions']);

    // 4. DeleteUserPolicy of that policy: deleted by the replay, written again by the guard.
    expect(policyDeleted!.recordedCall).toMatchObject({ api: 'DeleteUserPolicy', applied: true });
    expect(policiesOf(policyDeleted!.recordedCall!.principalsBefore, user)).toEqual(['keystop-revoke-older-sessions']);
    expect(policiesOf(policyDeleted!.principalsBefore, user)).toEqual([]);
    expect(policiesOf(policyDeleted!.principals, user)).toEqual(['keystop-revoke-older-sessions']);
    expect(policyDeleted!.actions.map((a) => `${a.type}: ${a.status}`)).toEqual(['revoke-sessions: done', 'notify: done', 'audit: done']);

    // 5. CreateAccessKey for the user: the replay made the key (deleting the seeded decoy: IAM allows two), the guard
    //    alerts and leaves it, as the shipped policies say.
    const persisted = keyCreated!.seededKeys.find((k) => k.original === 'AKIAEXAMPLEPERSIST01')!.seeded;
    expect(keyCreated!.recordedCall).toMatchObject({ api: 'CreateAccessKey', applied: true });
    expect(keyCreated!.recordedCall!.detail).toContain(`deleting the sandbox's decoy key ${decoy}`);
    expect(keysOf(keyCreated!.principalsBefore, user)).toEqual({ [leaked]: 'Inactive', [persisted]: 'Active' });
    expect(keysOf(keyCreated!.principals, user)).toEqual({ [leaked]: 'Inactive', [persisted]: 'Active' });
    expect(keyCreated!.notifications[0]!.subject).toMatch(/^Keystop TAMPERING: /);
    expect(keyCreated!.notifications[0]!.text).toContain(`a new access key ${persisted} was created for user ${user}`);

    // And IAM, read directly, holds what the last report says.
    const { iam } = localClients(awsEndpoint());
    const { AccessKeyMetadata = [] } = await iam.send(new ListAccessKeysCommand({ UserName: user }));
    expect(Object.fromEntries(AccessKeyMetadata.map((k) => [k.AccessKeyId, k.Status]))).toEqual({
      [leaked]: 'Inactive',
      [persisted]: 'Active',
    });
    expect((await iam.send(new ListUserPoliciesCommand({ UserName: user }))).PolicyNames).toEqual(['keystop-revoke-older-sessions']);
    const { PolicyDocument } = await iam.send(new GetUserPolicyCommand({ UserName: user, PolicyName: 'keystop-revoke-older-sessions' }));
    expect(decodeURIComponent(PolicyDocument!)).toContain('aws:TokenIssueTime');
  });

  it('prints each step as the caller changed it and as Keystop put it back', async () => {
    const { user, files } = await exampleSequence();

    const stdout = await sandbox(files, false);

    const blocks = stdout.split(/^━━ /m).slice(1);
    expect(blocks).toHaveLength(5);
    expect(blocks[1]).toContain(`In:      UpdateAccessKey by arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/mallory, recorded by CloudTrail`);
    expect(blocks[1]).toMatch(
      /About: {3}incident guardduty:123456789012:4ac9f0e1d2b37a5c8e6f0a1b2c3d4e5f, UnauthorizedAccess:IAMUser\/TorIPCaller/,
    );
    expect(blocks[1]).toMatch(new RegExp(`Replayed: set access key (AKIA\\w{16}) of user ${user} Active \\(on the emulator`));
    expect(blocks[1]).toContain('Keys (before → after the recorded call → after Keystop):');
    expect(blocks[1]).toMatch(new RegExp(`${user} AKIA\\w{16} Inactive → Active → Inactive {2}← named in the event`));
    expect(blocks[1]).toContain('Outcome: CONTAINED (tampered)');
    expect(blocks[3]).toContain(`Replayed: deleted inline policy keystop-revoke-older-sessions of user ${user}`);
    expect(blocks[3]).toContain(`${user} inline policies: keystop-revoke-older-sessions → (none) → keystop-revoke-older-sessions`);
    expect(blocks[4]).toMatch(new RegExp(`${user} AKIA\\w{16} \\(new\\) → Active → Active {2}← named in the event`));
    expect(blocks[4]).toMatch(new RegExp(`${user} AKIA\\w{16} Active → \\(deleted\\) → \\(deleted\\) {2}\\(other key of the user\\)`));
    expect(blocks[4]).toContain('Outcome: NOTIFIED (tampered)');
  });

  it('with --responders naming the caller, the guard records the replayed change as a release and leaves it', async () => {
    const { user, files } = await exampleSequence();
    const { stdout } = await run('node', [
      'bin/keystop.mjs',
      'sandbox',
      ...files.slice(0, 2),
      '--responders',
      `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/mallory`,
      '--json',
      '--endpoint',
      awsEndpoint(),
    ]);

    const [, reEnabled] = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as SandboxReport);

    expect(reEnabled).toMatchObject({ outcome: 'notified', reason: 'responder-change', recordedCall: { applied: true } });
    const leaked = reEnabled!.seededKeys[0]!.seeded;
    expect(keysOf(reEnabled!.principals, user)[leaked]).toBe('Active');
    expect(reEnabled!.notifications[0]!.subject).toMatch(/^Keystop RELEASED/);
  });

  it("replays a role's deny policy replaced by another document, and console passwords created and changed", async () => {
    const { runSandbox } = await import('../../src/cli/sandbox/runSandbox');
    const role = uniqueName('web-tier');
    const user = uniqueName('console-user');
    const finding = loadFixture('guardduty/role-session-exfiltration.json');
    finding.detail.accountId = LOCAL_ACCOUNT_ID;
    finding.detail.resource.accessKeyDetails.userName = role;
    const allowAll = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    const replaced = iamChange(
      'PutRolePolicy',
      { roleName: role, policyName: REVOKE_POLICY_NAME, policyDocument: allowAll },
      attacker,
      uniqueName('put'),
    );
    const created = iamChange('CreateLoginProfile', { userName: user, passwordResetRequired: false }, attacker, uniqueName('create'));
    const changed = iamChange('UpdateLoginProfile', { userName: uniqueName('other-user') }, attacker, uniqueName('update'));

    const [contained, restored, password, changedPassword] = await runSandbox(
      [
        { name: 'finding.json', event: finding },
        { name: 'put-role-policy.json', event: replaced },
        { name: 'create-login-profile.json', event: created },
        { name: 'update-login-profile.json', event: changed },
      ],
      { endpoint: awsEndpoint() },
    );

    expect(contained).toMatchObject({ outcome: 'contained' });
    expect(restored).toMatchObject({ outcome: 'contained', reason: 'tampered', recordedCall: { api: 'PutRolePolicy', applied: true } });
    const { iam } = localClients(awsEndpoint());
    const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: REVOKE_POLICY_NAME }));
    expect(decodeURIComponent(PolicyDocument!)).toContain('aws:TokenIssueTime');
    expect(password!.recordedCall).toMatchObject({ api: 'CreateLoginProfile', applied: true });
    expect(password).toMatchObject({ outcome: 'ignored', reason: 'not-guarded' });
    await expect(iam.send(new GetLoginProfileCommand({ UserName: user }))).resolves.toMatchObject({ LoginProfile: { UserName: user } });
    expect(changedPassword!.recordedCall).toMatchObject({ api: 'UpdateLoginProfile', applied: true });
    expect(changedPassword!.recordedCall!.detail).toContain('seeded one first to change');
  });

  it('does not replay a call that failed in AWS: the key stays as Keystop left it', async () => {
    const { runSandbox } = await import('../../src/cli/sandbox/runSandbox');
    const { files } = await exampleSequence();
    const [finding, reEnable] = await Promise.all(files.slice(0, 2).map(async (f) => JSON.parse(await readFile(f, 'utf8'))));
    reEnable.detail.errorCode = 'AccessDenied';
    reEnable.detail.errorMessage = 'User: arn:aws:iam::123456789012:user/mallory is not authorized to perform: iam:UpdateAccessKey';

    const [, report] = await runSandbox(
      [
        { name: 'finding.json', event: finding },
        { name: 'denied.json', event: reEnable },
      ],
      { endpoint: awsEndpoint() },
    );

    expect(report!.recordedCall).toMatchObject({
      api: 'UpdateAccessKey',
      applied: false,
      detail: 'the call failed in AWS (AccessDenied): nothing to replay',
    });
    expect(report!.principalsBefore).toEqual(report!.recordedCall!.principalsBefore);
    expect(report!.principals.flatMap((p) => p.keys.filter((k) => k.named).map((k) => k.status))).toEqual(['Inactive']);
    expect(report!.notifications).toEqual([]);
  });
});
