import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../support/loadFixture';
import { awsEndpoint } from '../support/localAws';

const run = promisify(execFile);

/**
 * One fixture per source and variant, with the outcome docs/how-it-works.md's "What Keystop does, by default" documents for it,
 * run through the real CLI in one sandbox.
 */
const cases = [
  {
    fixture: 'guardduty/tor-ip-caller-long-term-key.json',
    outcome: 'contained',
    policy: 'guardduty-key-used-by-attacker',
    keyAfter: 'Inactive',
  },
  {
    fixture: 'guardduty/attack-sequence-compromised-credentials.json',
    outcome: 'contained',
    policy: 'guardduty-attack-sequence',
    keyAfter: 'Inactive',
  },
  {
    fixture: 'security-hub/two-new-guardduty-key-findings.json',
    outcome: 'contained',
    policy: 'guardduty-key-used-by-attacker',
    keyAfter: 'Inactive',
  },
  {
    fixture: 'security-hub/key-unknown-user-only.json',
    outcome: 'notified',
    policy: 'user-named-without-key-alert-only',
    keyAfter: 'Active',
  },
  { fixture: 'security-hub/notified-update.json', outcome: 'ignored', policy: null, keyAfter: undefined },
  { fixture: 'health/exposed-current-shape.json', outcome: 'contained', policy: 'health-key-exposed-or-compromised', keyAfter: 'Inactive' },
  {
    fixture: 'health/compromised-minimal-affected-entities.json',
    outcome: 'contained',
    policy: 'health-key-exposed-or-compromised',
    keyAfter: 'Inactive',
  },
  {
    fixture: 'health/iam-quarantine-global-user-only.json',
    outcome: 'notified',
    policy: 'user-named-without-key-alert-only',
    keyAfter: 'Active',
  },
  { fixture: 'cloudtrail/honey-key-used.json', outcome: 'contained', policy: 'cloudtrail-honey-key-used', keyAfter: 'Inactive' },
  // AWS's quarantine of the same user that the Health notice above reported: one credential, one alert.
  {
    fixture: 'cloudtrail/quarantine-policy-attached.json',
    outcome: 'duplicate',
    policy: 'user-named-without-key-alert-only',
    keyAfter: 'Active',
  },
  { fixture: 'cloudtrail/ordinary-api-call.json', outcome: 'ignored', policy: null, keyAfter: undefined },
  { fixture: 'health/ec2-scheduled-maintenance.json', outcome: 'ignored', policy: null, keyAfter: undefined },
] as const;

let reports: any[];

beforeAll(async () => {
  const { stdout } = await run('node', [
    'bin/keystop.mjs',
    'sandbox',
    ...cases.map((c) => fixturePath(c.fixture)),
    '--json',
    // The honey key as the fixture names it: the sandbox judges the run with its seeded stand-in.
    '--honey-keys',
    'AKIAHONEYBAITKEY0001',
    '--endpoint',
    awsEndpoint(),
  ]);
  reports = stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}, 60_000);

describe('keystop sandbox on one fixture of each source', () => {
  it.each(cases.map((c, index) => ({ ...c, index })))(
    '$fixture ends $outcome under policy $policy',
    ({ index, fixture, outcome, policy, keyAfter }) => {
      const report = reports[index];

      expect(report).toMatchObject({ outcome, policy });
      if (keyAfter === undefined) {
        expect(report.incident).toBeNull();
        expect(report.notifications).toEqual([]);
        return;
      }
      // Events that carry two incidents (a batch, an attack sequence with two actors) send two alerts.
      expect(report.notifications).toHaveLength(outcome === 'duplicate' ? 0 : /two-new|attack-sequence/.test(fixture) ? 2 : 1);
      const credential = report.incident.credential;
      // The principal the event is about: the owner of the named key, or the user it names.
      const [principal, ...more] = report.principals.filter(
        (p: any) => p.name === credential.userName || p.keys.some((k: any) => k.accessKeyId === credential.accessKeyId),
      );
      expect(more).toEqual([]);
      // The seeded user has its keys (the named one, or the user's own when none is named): none, and the loop below
      // would check nothing.
      expect(principal.keys.length).toBeGreaterThan(0);
      if (credential.accessKeyId !== undefined) {
        expect(principal.keys.map((k: any) => k.accessKeyId)).toContain(credential.accessKeyId);
      }
      for (const key of principal.keys) {
        expect(key.status).toBe(key.accessKeyId === credential.accessKeyId ? keyAfter : 'Active');
      }
    },
  );

  it('reports the second finding of a Security Hub batch under more: its role session is contained', () => {
    const report = reports[cases.findIndex((c) => c.fixture === 'security-hub/two-new-guardduty-key-findings.json')];

    expect(report.more).toEqual([
      expect.objectContaining({
        outcome: 'contained',
        incident: expect.objectContaining({ credential: expect.objectContaining({ kind: 'role-session', roleName: 'web-tier' }) }),
      }),
    ]);
    expect(report.notifications).toHaveLength(2);
    expect(report.principals).toContainEqual(
      expect.objectContaining({ kind: 'role', name: 'web-tier', inlinePolicies: ['keystop-revoke-older-sessions'] }),
    );
  });
});
