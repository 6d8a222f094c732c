import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { startFaultProxy } from '../support/faultProxy';
import { fixturePath, loadFixture } from '../support/loadFixture';
import { awsEndpoint, keyStatuses, localResponder, userWithTwoKeys } from '../support/localAws';
import { runCli } from '../support/runCli';

async function tempJson(name: string, value: unknown) {
  const file = join(tmpdir(), `${crypto.randomUUID()}-${name}`);
  await writeFile(file, JSON.stringify(value));
  return file;
}

describe('keystop policies', () => {
  it('validates the built-in policy set', async () => {
    const { stdout } = await runCli(['policies', 'validate']);

    expect(stdout).toMatch(/policies\.json: \d+ policies, valid/);
  });

  it('rejects a policy file with a typo (exit 2), naming the policy, the field and the valid choices', async () => {
    const file = await tempJson('typo.json', [
      { name: 'x', description: 'd', match: { sorce: ['guardduty'] }, mode: 'contian', actions: [{ type: 'deactivate-key' }] },
      { name: 'y', description: 'd', match: { source: ['gaurdduty'] }, mode: 'contain', actions: [] },
    ]);

    const failure = await runCli(['policies', 'validate', file]).catch((e: { code: number; stderr: string }) => e);

    expect(failure).toMatchObject({ code: 2 });
    const { stderr } = failure as { stderr: string };
    expect(stderr).toContain(
      'policy "x": match: unknown key "sorce"; valid keys: source, type, severity, credentialKind, accountId, principalName',
    );
    expect(stderr).toContain('policy "x": mode "contian": Invalid option: expected one of "contain"|"notify-only"|"dry-run"');
    expect(stderr).toContain(
      'policy "x": actions[0].type "deactivate-key": unknown action type "deactivate-key"; valid types: deactivate-access-key, revoke-sessions, tag-principal, deactivate-user-keys',
    );
    expect(stderr).toContain('policy "y": match.source[0] "gaurdduty": is not one of guardduty, security-hub, health, cloudtrail, manual');
  });

  it('explains which policy matches an event and what it would do, without any AWS call', async () => {
    // No endpoint and no credentials: any AWS call would fail the command.
    const { stdout } = await runCli(['policies', 'explain', fixturePath('guardduty/role-session-exfiltration.json')]);

    expect(stdout).toContain('policy: guardduty-credentials-exfiltrated; reason: matched; would act');
    expect(stdout).toContain('would deny sessions of role/web-tier issued before now');
    expect(stdout).toContain('not applicable to a role-session: deactivate-access-key');
  });
});

describe("keystop contain and replay, with the caller's credentials (here: the emulator)", () => {
  it('contains a key a human reports, alerts, and leaves the other key alone', async () => {
    const { endpoint, clients, sink } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);

    const { stdout } = await runCli(
      ['contain', '--access-key', leaked, '--reason', 'key pasted in a public gist', '--topic-arn', sink.topicArn],
      endpoint,
    );

    expect(stdout).toContain('Outcome: CONTAINED (matched) — policy manual-report');
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    const [alert, ...more] = await sink.drain();
    expect(more).toEqual([]);
    expect(alert!.text).toContain('key pasted in a public gist');
    expect(alert!.text).toContain(`deactivated access key ${leaked} of user ${userName}`);
  });

  it('prints the full alert when no topic is set, contains the key and exits 0', async () => {
    const { endpoint, clients } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);

    // runCli rejects on any exit code but 0.
    const { stdout } = await runCli(['contain', '--access-key', leaked, '--reason', 'found in a build log'], {
      endpoint,
      env: { KEYSTOP_ALERT_TOPIC_ARN: '' },
    });

    expect(stdout).toContain('Outcome: CONTAINED (matched) — policy manual-report');
    expect(stdout).toMatch(/Subject: Keystop CONTAINED: AKIA/);
    expect(stdout).toContain('found in a build log');
    expect(stdout).toContain('[done] notify stdout');
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
  });

  it.each([
    { case: 'a malformed key id', args: ['--access-key', 'not-a-key'], message: '--access-key "not-a-key" is not an access key id' },
    { case: 'a key id one character short', args: ['--access-key', 'AKIAIOSFODNN7EXAMPL'], message: 'is not an access key id' },
    { case: 'a lower-case key id', args: ['--access-key', 'akiaiosfodnn7example'], message: 'is not an access key id' },
    { case: 'a role for a long-term key', args: ['--access-key', 'AKIAIOSFODNN7EXAMPLE', '--role', 'web'], message: 'drop --role' },
    {
      case: 'both a user and a role',
      args: ['--access-key', 'ASIAIOSFODNN7EXAMPLE', '--role', 'web', '--user', 'bob'],
      message: 'not both',
    },
    {
      case: 'an ASIA key without its principal',
      args: ['--access-key', 'ASIAIOSFODNN7EXAMPLE'],
      message: 'is a temporary (ASIA…) key: name its --role or --user',
    },
    {
      case: 'a topic that is not an SNS ARN',
      args: ['--access-key', 'AKIAIOSFODNN7EXAMPLE', '--topic-arn', 'alerts'],
      message: 'is not an SNS topic ARN',
    },
  ])('refuses $case with exit 2 before any AWS request', async ({ args, message }) => {
    const proxy = await startFaultProxy(awsEndpoint());
    try {
      const failure = await runCli(['contain', ...args], { endpoint: proxy.endpoint }).catch((e: { code: number; stderr: string }) => e);

      expect(failure).toMatchObject({ code: 2 });
      expect((failure as { stderr: string }).stderr).toContain(message);
      expect(proxy.requests.map((r) => r.operation)).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it('replays an event through the real pipeline, and --dry-run changes nothing', async () => {
    const { endpoint, clients, sink } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
    event.detail.accountId = LOCAL_ACCOUNT_ID;
    Object.assign(event.detail.resource.accessKeyDetails, { userName, accessKeyId: leaked });
    const file = await tempJson('replay.json', event);

    // As Lambda's on-failure destination keeps it: the event inside a record.
    const failureRecord = await tempJson('failure-record.json', {
      version: '1.0',
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: event,
      responsePayload: { errorType: 'ContainmentFailedError' },
    });

    const dry = await runCli(['replay', failureRecord, '--dry-run', '--topic-arn', sink.topicArn], endpoint);
    const statusAfterDryRun = await keyStatuses(clients.iam, userName);
    const real = await runCli(['replay', file, '--topic-arn', sink.topicArn], endpoint);

    expect(dry.stdout).toContain('Outcome: NOTIFIED (dry-run)');
    expect(statusAfterDryRun).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
    expect(real.stdout).toContain('Outcome: CONTAINED (matched)');
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    expect(await sink.drain()).toHaveLength(2);
  });
});
