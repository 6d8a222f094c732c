import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../support/loadFixture';
import { awsEndpoint } from '../support/localAws';

const run = promisify(execFile);

async function sandboxJson(...files: string[]) {
  const { stdout } = await run('node', ['bin/keystop.mjs', 'sandbox', ...files, '--json', '--endpoint', awsEndpoint()]);
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('keystop sandbox --json', () => {
  it('prints the contract for a finding that is contained: outcome, incident, actions, principals, notifications', async () => {
    const [report, ...others] = await sandboxJson(fixturePath('guardduty/tor-ip-caller-long-term-key.json'));

    expect(others).toEqual([]);
    expect(report).toMatchObject({
      outcome: 'contained',
      reason: 'matched',
      incident: {
        source: 'guardduty',
        type: 'UnauthorizedAccess:IAMUser/TorIPCaller',
        accountId: '111122223333',
        credential: { kind: 'long-term-key', userName: 'build-bot' },
      },
    });
    const seededKey: string = report.incident.credential.accessKeyId;
    expect(seededKey).toMatch(/^AKIA/);
    expect(seededKey).not.toBe('AKIAFIXTURELEAKED001');
    expect(report.actions).toEqual([
      {
        type: 'deactivate-access-key',
        status: 'done',
        target: seededKey,
        reason: `deactivated access key ${seededKey} of user build-bot`,
        at: expect.any(String),
      },
      {
        type: 'tag-principal',
        status: 'done',
        target: 'user/build-bot',
        reason: 'tagged keystop:incident=guardduty:111122223333:a1b2c3d4e5f60718293a4b5c6d7e8f90',
        at: expect.any(String),
      },
      expect.objectContaining({ type: 'notify', status: 'done' }),
      expect.objectContaining({ type: 'audit', status: 'done', target: 'default' }),
    ]);
    const [user] = report.principals;
    expect(user).toMatchObject({ kind: 'user', name: 'build-bot', inlinePolicies: [] });
    expect(user.keys).toHaveLength(2);
    expect(user.keys).toContainEqual({ accessKeyId: seededKey, status: 'Inactive', named: true });
    expect(user.keys).toContainEqual({ accessKeyId: expect.not.stringMatching(seededKey), status: 'Active', named: false });
    expect(report.notifications).toHaveLength(1);
    expect(report.notifications[0].subject).toContain(seededKey);
    expect(report.notifications[0].attributes).toMatchObject({ outcome: 'contained', credentialKind: 'long-term-key' });
    // The emulator has no CloudTrail LookupEvents: the alert says so rather than pretending the key did nothing.
    expect(report.notifications[0].document.activity).toEqual({
      status: 'unavailable',
      reason: 'unavailable in the local emulator: moto does not implement CloudTrail LookupEvents',
    });
    expect(report.notifications[0].text).toContain(
      'WHAT THE KEY DID (CloudTrail)\n  unavailable in the local emulator: moto does not implement CloudTrail LookupEvents',
    );
  });

  it("says Security Hub's finding note is unavailable in the local emulator, never a raw SDK error", async () => {
    const [report] = await sandboxJson(fixturePath('security-hub/two-new-guardduty-key-findings.json'));

    expect(report.outcome).toBe('contained');
    expect(report.actions).toContainEqual({
      type: 'update-finding',
      status: 'skipped',
      target: report.incident.origin.findingArn,
      reason: 'unavailable in the local emulator: moto does not implement Security Hub BatchUpdateFindings',
    });
    expect(JSON.stringify(report)).not.toMatch(/Unexpected token|Deserialization error|SyntaxError/);
  });

  it('reports a sample finding as notified, with the key still active, and an EC2 finding as ignored', async () => {
    const [sample, ec2] = await sandboxJson(fixturePath('guardduty/sample-finding.json'), fixturePath('guardduty/ec2-finding.json'));

    expect(sample).toMatchObject({ outcome: 'notified', reason: 'sample-finding' });
    expect(sample.actions[0]).toMatchObject({ type: 'deactivate-access-key', status: 'skipped' });
    // The named key and the seeded decoy, both Active (an empty list would pass an every() check).
    const keys = sample.principals[0].keys as { accessKeyId: string; status: string }[];
    expect(keys.map((k) => k.accessKeyId)).toContain(sample.incident.credential.accessKeyId);
    expect(keys.map((k) => k.status)).toEqual(['Active', 'Active']);
    expect(ec2).toMatchObject({ outcome: 'ignored', reason: 'not-a-credential-finding', incident: null, actions: [], notifications: [] });
  });

  it('meets the same seeded key when two events name the same key', async () => {
    const file = fixturePath('guardduty/tor-ip-caller-long-term-key.json');

    const [first, second] = await sandboxJson(file, file);

    expect(second.incident.credential.accessKeyId).toBe(first.incident.credential.accessKeyId);
    expect([first.outcome, second.outcome]).toEqual(['contained', 'duplicate']);
    expect(second.principals[0].keys).toHaveLength(2);
  });

  it('shows the metrics each event produced with --metrics: the containment, then the duplicate', async () => {
    const file = fixturePath('guardduty/tor-ip-caller-long-term-key.json');

    const [first, second] = await sandboxJson(file, file, '--metrics');
    const { stdout } = await run('node', ['bin/keystop.mjs', 'sandbox', file, file, '--metrics', '--endpoint', awsEndpoint()]);

    const names = (report: { metrics: { name: string }[] }) => report.metrics.map((m) => m.name).sort();
    expect(names(first)).toEqual([
      'AlertsPublished',
      'Containments',
      'ForensicsLookups',
      'Responses',
      'TimeToContainFromEntry',
      'TimeToContainFromFirstSeen',
    ]);
    expect(first.metrics.find((m: { name: string }) => m.name === 'Containments')).toMatchObject({
      namespace: 'Keystop',
      unit: 'Count',
      value: 1,
      dimensions: { service: 'keystop', Stage: 'sandbox', CredentialKind: 'long-term-key' },
    });
    expect(second.metrics).toEqual([
      expect.objectContaining({
        name: 'Responses',
        dimensions: expect.objectContaining({ Outcome: 'duplicate', Reason: 'duplicate-report' }),
      }),
    ]);
    expect(stdout).toContain('Metrics (CloudWatch, namespace Keystop');
    expect(stdout).toMatch(/ {2}Responses \{Outcome=duplicate, Source=guardduty, Reason=duplicate-report\} = 1 Count/);
  });

  it('fails with a clear message for a file that is not JSON', async () => {
    await expect(
      run('node', ['bin/keystop.mjs', 'sandbox', 'package.json.missing', '--json', '--endpoint', awsEndpoint()]),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('cannot read event file package.json.missing'),
    });
  });
});
