import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturePath, loadFixture } from '../support/loadFixture';
import { awsEndpoint } from '../support/localAws';
import { runCli } from '../support/runCli';

// A finding of account 111122223333: not the emulator's own account (123456789012).
const TOR = fixturePath('guardduty/tor-ip-caller-long-term-key.json');
const sandboxJson = async (args: string[], env: Record<string, string> = {}) =>
  JSON.parse((await runCli(['sandbox', TOR, '--json', '--endpoint-url', awsEndpoint(), ...args], { env })).stdout.trim());

describe('keystop sandbox says which deployment it plays, and takes a flag to choose', () => {
  it('plays an organisation by default and says so: a finding of another account is contained', async () => {
    const { stdout } = await runCli(['sandbox', TOR, '--endpoint-url', awsEndpoint()]);

    expect(loadFixture('guardduty/tor-ip-caller-long-term-key.json').detail.accountId).toBe('111122223333');
    expect(stdout.split('\n')[0]).toBe(
      "Sandbox: plays an organisation deployment: every account is a member (--deployment single-account plays Keystop's default, one account)",
    );
    expect(stdout).toContain('Outcome: CONTAINED (matched)');
  });

  it("--deployment single-account plays Keystop's default: the other account's finding is only alerted on", async () => {
    const report = await sandboxJson(['--deployment', 'single-account']);

    expect([report.outcome, report.reason]).toEqual(['notified', 'account-not-allowed']);
  });

  it('with --stage it plays that stage: single account unless its settings name member accounts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keystop-sandbox-'));
    const settings = join(dir, 'keystop.settings.yml');
    await writeFile(
      settings,
      'single:\n  dryRun: false\norg:\n  memberAccounts: 111122223333\n  memberRoleName: KeystopMember\n  externalId: keystop-external-id\n',
    );

    const single = await sandboxJson(['--stage', 'single'], { KEYSTOP_SETTINGS_FILE: settings });
    const org = await sandboxJson(['--stage', 'org'], { KEYSTOP_SETTINGS_FILE: settings });

    expect([single.outcome, single.reason]).toEqual(['notified', 'account-not-allowed']);
    expect([org.outcome, org.reason]).toEqual(['contained', 'matched']);
  });

  it('refuses a deployment it does not know (exit 2)', async () => {
    const failure = await runCli(['sandbox', TOR, '--deployment', 'galaxy']).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );

    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain("argument 'galaxy' is invalid. Allowed choices are organization, single-account.");
  });
});
