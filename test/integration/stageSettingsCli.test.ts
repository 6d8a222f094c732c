import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStateTable } from '../../src/local/createStateTable';
import { LOCAL_ACCOUNT_ID, localClients } from '../../src/local/localClients';
import { deployedStage } from '../support/deployedStage';
import { fixturePath, loadFixture } from '../support/loadFixture';
import { awsEndpoint, keyStatuses, localResponder, uniqueName, userWithTwoKeys } from '../support/localAws';
import { failureOf, runCli } from '../support/runCli';

async function tempFile(name: string, text: string) {
  const file = join(await mkdtemp(join(tmpdir(), 'keystop-stage-')), name);
  await writeFile(file, text);
  return file;
}

/** A Tor finding about the leaked key of a user of the emulator's account, as a file replay reads. */
async function torFindingFor(userName: string, leaked: string) {
  const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
  event.detail.accountId = LOCAL_ACCOUNT_ID;
  Object.assign(event.detail.resource.accessKeyDetails, { userName, accessKeyId: leaked });
  return tempFile('finding.json', JSON.stringify(event));
}

const DEPLOYED_DEFAULTS = { KEYSTOP_DRY_RUN: 'false', KEYSTOP_EXEMPT_PRINCIPALS: '', KEYSTOP_EXEMPT_TAG: 'keystop:exempt=true' };

describe('Every deciding command answers for a stage: --stage reads keystop.settings.yml', () => {
  it('replay --stage of a stage with dryRun: true in the settings file (deployed so) changes nothing', async () => {
    const { endpoint, clients, sink } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const stage = await deployedStage(endpoint, { ...DEPLOYED_DEFAULTS, KEYSTOP_DRY_RUN: 'true' });
    const settings = await tempFile('keystop.settings.yml', `${stage}:\n  dryRun: true\n`);

    const { stdout } = await runCli(['replay', await torFindingFor(userName, leaked), '--stage', stage, '--topic-arn', sink.topicArn], {
      endpoint,
      env: { KEYSTOP_SETTINGS_FILE: settings },
    });

    expect(stdout).toContain('Outcome: NOTIFIED (dry-run)');
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
  });

  it('refuses to act when the settings file says dry-run and the deployed functions do not: exit 2, nothing changed, no alert', async () => {
    const { endpoint, clients, sink } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const stage = await deployedStage(endpoint, DEPLOYED_DEFAULTS);
    const settings = await tempFile(
      'keystop.settings.yml',
      `${stage}:\n  dryRun: true\n  exemptPrincipals: arn:aws:iam::123456789012:user/break-glass\n`,
    );

    const failure = await failureOf(
      runCli(['replay', await torFindingFor(userName, leaked), '--stage', stage, '--topic-arn', sink.topicArn], {
        endpoint,
        env: { KEYSTOP_SETTINGS_FILE: settings },
      }),
    );

    expect(failure.code).toBe(2);
    expect(failure.stderr).toContain(`refusing to act for stage ${stage}`);
    expect(failure.stderr).toContain('dryRun: deployed false, here true');
    expect(failure.stderr).toContain('exemptPrincipals: deployed "", here "arn:aws:iam::123456789012:user/break-glass"');
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
    expect(await sink.drain()).toEqual([]);
  });

  it('refuses to act for a stage that is not deployed where the credentials point', async () => {
    const { endpoint, clients, sink } = await localResponder();
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);

    const failure = await failureOf(
      runCli(['contain', '--access-key', leaked, '--stage', uniqueName('nostage'), '--topic-arn', sink.topicArn], endpoint),
    );

    expect(failure.code).toBe(2);
    expect(failure.stderr).toMatch(/stage nostage-\w+ is not deployed here: no function keystop-nostage-\w+-guardduty in us-east-1/);
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
  });

  it("policies explain --stage plans with the stage's settings; without --stage it says which settings it used", async () => {
    const settings = await tempFile('keystop.settings.yml', 'staging:\n  dryRun: true\n');
    const tor = fixturePath('guardduty/tor-ip-caller-long-term-key.json');

    const staged = await runCli(['policies', 'explain', tor, '--stage', 'staging'], { env: { KEYSTOP_SETTINGS_FILE: settings } });
    const prod = await runCli(['policies', 'explain', tor, '--stage', 'prod'], { env: { KEYSTOP_SETTINGS_FILE: settings } });
    const unstaged = await runCli(['policies', 'explain', tor], { env: { KEYSTOP_SETTINGS_FILE: settings } });

    expect(staged.stdout).toContain('reason: dry-run; would only alert');
    expect(prod.stdout).toContain('reason: matched; would act');
    expect(unstaged.stdout).toContain('reason: matched; would act');
    expect(unstaged.stderr).toBe('keystop: settings: flags, environment and defaults (no --stage: keystop.settings.yml not read)\n');
    expect(staged.stderr).toBe('');
  });

  it('flags and environment override the stage settings', async () => {
    const settings = await tempFile('keystop.settings.yml', 'staging:\n  dryRun: true\n  exemptTag: team=x\n');
    const tor = fixturePath('guardduty/tor-ip-caller-long-term-key.json');

    const overridden = await runCli(['policies', 'explain', tor, '--stage', 'staging', '--json'], {
      env: { KEYSTOP_SETTINGS_FILE: settings, KEYSTOP_DRY_RUN: 'false' },
    });

    expect(JSON.parse(overridden.stdout).plans[0]).toMatchObject({ reason: 'matched', execute: true });
  });

  it('a stage whose settings are wrong is an input error naming the file and the param (exit 2)', async () => {
    const settings = await tempFile('keystop.settings.yml', 'prod:\n  breakerLimit: lots\n');

    const failure = await failureOf(
      runCli(['policies', 'explain', fixturePath('guardduty/tor-ip-caller-long-term-key.json'), '--stage', 'prod'], {
        env: { KEYSTOP_SETTINGS_FILE: settings },
      }),
    );

    expect(failure.code).toBe(2);
    expect(failure.stderr).toContain(`stage prod of ${settings}:\nparam breakerLimit: "lots" must be a whole number from 1 to 10000`);
  });

  it("breaker status --stage reports the stage's breakerLimit, and says where it came from", async () => {
    const table = uniqueName('keystop-state');
    await createStateTable(localClients(awsEndpoint()).dynamodb, table);
    const settings = await tempFile('keystop.settings.yml', 'prod:\n  breakerLimit: 20\n  breakerWindowMinutes: 30\n');

    const { stdout } = await runCli(['breaker', 'status', '--stage', 'prod', '--table', table, '--account', LOCAL_ACCOUNT_ID], {
      endpoint: awsEndpoint(),
      env: { KEYSTOP_SETTINGS_FILE: settings },
    });

    expect(stdout).toBe(
      `breaker of account ${LOCAL_ACCOUNT_ID}: closed; 0 of 20 automatic containments in the last 30 minutes (settings: stage prod of ${settings})\n` +
        'breaker of the organisation (with member accounts): closed; 0 of 25 automatic containments across 0 accounts in the last 30 minutes\n',
    );
  });

  it("config check --stage checks the stage's entry in the settings file, as osls package does", async () => {
    const settings = await tempFile('keystop.settings.yml', 'prod:\n  breakerLimit: lots\nstaging:\n  breakerLimit: 20\n');

    const prod = await failureOf(runCli(['config', 'check', '--stage', 'prod'], { env: { KEYSTOP_SETTINGS_FILE: settings } }));
    const staging = await runCli(['config', 'check', '--stage', 'staging'], { env: { KEYSTOP_SETTINGS_FILE: settings } });

    expect(prod.code).toBe(2);
    expect(prod.stderr).toContain('param breakerLimit: "lots" must be a whole number from 1 to 10000');
    expect(staging.stdout).toMatch(/^stage staging: settings valid/);
  });
});
