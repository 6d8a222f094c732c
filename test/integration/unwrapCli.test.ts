import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { NOT_AN_EVENT } from '../../src/cli/input/unwrapEvents';
import { fixturePath, loadFixture } from '../support/loadFixture';
import { awsEndpoint } from '../support/localAws';

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'keystop-unwrap-'));
});

async function file(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

async function sandbox(path: string, ...args: string[]) {
  const { stdout, stderr } = await run('node', ['bin/keystop.mjs', 'sandbox', path, '--json', '--endpoint', awsEndpoint(), ...args]);
  return {
    reports: stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line)),
    stderr,
  };
}

/** The API's PascalCase, as `aws guardduty get-findings` prints the same finding the event carries in camelCase. */
function pascalCased(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascalCased);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [/^[a-z]/.test(k) ? k[0]!.toUpperCase() + k.slice(1) : k, pascalCased(v)]),
  );
}

/** What a report did, without the ids that differ from run to run: enough to say two runs did the same. */
function effect(report: any) {
  const changed = report.principals.flatMap((p: any) =>
    p.keys
      .filter(
        (k: any) =>
          report.principalsBefore.find((b: any) => b.name === p.name)?.keys.find((bk: any) => bk.accessKeyId === k.accessKeyId)?.status !==
          k.status,
      )
      .map((k: any) => `${p.name}: ${k.named ? 'named' : 'other'} key → ${k.status}`),
  );
  return {
    outcome: report.outcome,
    reason: report.reason,
    policy: report.policy,
    credential: report.incident?.credential.kind,
    type: report.incident?.type,
    changed,
    alerts: report.notifications.map((n: any) => n.attributes.outcome),
  };
}

describe('keystop sandbox on findings and records as responders hold them: the same containment as the wrapped event', () => {
  it('a bare GuardDuty finding and aws guardduty get-findings output', async () => {
    const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
    const wrapped = await sandbox(await file('gd-wrapped.json', event));
    const bare = await sandbox(await file('gd-bare.json', event.detail));
    const output = await sandbox(await file('gd-get-findings.json', { Findings: [pascalCased(event.detail)] }));

    expect(effect(wrapped.reports[0])).toMatchObject({
      outcome: 'contained',
      changed: ['build-bot: named key → Inactive'],
      alerts: ['contained'],
    });
    expect(effect(bare.reports[0])).toEqual(effect(wrapped.reports[0]));
    expect(effect(output.reports[0])).toEqual(effect(wrapped.reports[0]));
    expect(wrapped.stderr).toBe('');
    expect(bare.stderr).toBe('keystop: gd-bare.json: wrapped a bare GuardDuty finding in its EventBridge envelope\n');
    expect(output.stderr).toMatch(/^keystop: gd-get-findings\.json: wrapped a GuardDuty finding \(from get-findings output\)/);
  });

  it('a bare ASFF finding and aws securityhub get-findings output (one event per finding)', async () => {
    const event = loadFixture('security-hub/two-new-guardduty-key-findings.json');
    const wrapped = (await sandbox(await file('sh-wrapped.json', event))).reports[0];
    const bare = await sandbox(await file('sh-bare.json', event.detail.findings[0]));
    const output = await sandbox(await file('sh-get-findings.json', { Findings: event.detail.findings }));

    // The wrapped batch carries two findings (two alerts); the bare first finding is one of them.
    expect(effect(bare.reports[0])).toEqual({ ...effect(wrapped), alerts: ['contained'] });
    expect(output.reports.map((r) => [r.event, r.outcome, r.incident.credential.kind])).toEqual([
      ['sh-get-findings.json#1', 'contained', wrapped.incident.credential.kind],
      ['sh-get-findings.json#2', 'contained', wrapped.more[0].incident.credential.kind],
    ]);
    expect(output.stderr.trim().split('\n')).toHaveLength(2);
  });

  it('a bare CloudTrail record and a CloudTrail log file ({"Records": [...]}) with a honey key', async () => {
    const event = loadFixture('cloudtrail/honey-key-used.json');
    const honey = ['--honey-keys', 'AKIAHONEYBAITKEY0001'];
    const wrapped = (await sandbox(await file('ct-wrapped.json', event), ...honey)).reports[0];
    const bare = (await sandbox(await file('ct-bare.json', event.detail), ...honey)).reports[0];
    const logFile = (await sandbox(await file('ct-records.json', { Records: [event.detail] }), ...honey)).reports[0];

    expect(effect(wrapped)).toMatchObject({ outcome: 'contained', policy: 'cloudtrail-honey-key-used' });
    expect(effect(bare)).toEqual(effect(wrapped));
    expect(effect(logFile)).toEqual(effect(wrapped));
  });
});

describe('keystop refuses what holds no event, in one line, with exit code 2', () => {
  const inputs: [string, string][] = [
    ['empty-object.json', '{}'],
    ['empty-array.json', '[]'],
    ['null.json', 'null'],
    ['findings.csv', 'AccountId,Type,Severity\n111122223333,UnauthorizedAccess:IAMUser/TorIPCaller,5\n'],
  ];

  // Every command reads files through readEvents: each input is tried on sandbox, the first on all three commands.
  it.each(
    inputs.map(([name, content], index) => ({
      name,
      content,
      commands: index === 0 ? ['sandbox', 'replay', 'policies explain'] : ['sandbox'],
    })),
  )('$commands on $name', async ({ name, content, commands }) => {
    const path = await file(name, content);
    for (const command of commands.map((c) => [...c.split(' '), path, ...(c === 'sandbox' ? ['--endpoint', awsEndpoint()] : [])])) {
      const failure = await run('node', ['bin/keystop.mjs', ...command]).then(
        () => undefined,
        (error: { code: number; stdout: string; stderr: string }) => error,
      );

      expect(failure, command.join(' ')).toMatchObject({ code: 2, stdout: '' });
      expect(failure!.stderr).toBe(`keystop: ${path}: ${NOT_AN_EVENT}\n`);
    }
  });

  it('explains each finding of get-findings output', async () => {
    const { stdout, stderr } = await run('node', [
      'bin/keystop.mjs',
      'policies',
      'explain',
      fixturePath('real/aws-cli-guardduty-get-findings-recon-userpermissions.json'),
    ]);

    expect(stderr).toMatch(/wrapped a GuardDuty finding \(from get-findings output\)/);
    expect(stdout).toContain(
      'incident guardduty:111122223333:1ab92989eaf0e742df4a014d5example: Recon:IAMUser/UserPermissions, user-session (severity 5)',
    );
    expect(stdout).toContain('policy: guardduty-other-iam-findings; reason: notify-only-policy; would only alert');
  });
});
