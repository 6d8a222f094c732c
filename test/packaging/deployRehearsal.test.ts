import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT_ID, localClients } from '../../src/local/localClients';
import { deployStack } from '../support/deployStack';
import { loadFixture } from '../support/loadFixture';
import { awsEndpoint, keyStatuses, userWithTwoKeys } from '../support/localAws';
import { packageTemplateWith } from '../support/packageTemplate';
import { runCli } from '../support/runCli';

type Failure = { code: number; stdout: string; stderr: string };
const STAGE = 'rehearsal';
const SETTINGS = `${STAGE}:\n  dryRun: true\n  exemptPrincipals: arn:aws:iam::123456789012:user/break-glass\n`;

async function tempFile(name: string, text: string) {
  const file = join(await mkdtemp(join(tmpdir(), 'keystop-rehearsal-')), name);
  await writeFile(file, text);
  return file;
}

let deployed: Awaited<ReturnType<typeof deployStack>>;
let settingsFile: string;

beforeAll(async () => {
  settingsFile = await tempFile('keystop.settings.yml', SETTINGS);
  const { template, dir } = await packageTemplateWith({ settings: SETTINGS }, '--stage', STAGE);
  deployed = await deployStack(awsEndpoint(), `keystop-${STAGE}`, template, dir);
}, 300_000);

/** A Tor finding about a fresh user's leaked key in the emulator's account, as a file. */
async function torFinding() {
  const { iam } = localClients(awsEndpoint());
  const { userName, leaked, decoy } = await userWithTwoKeys(iam);
  const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
  event.detail.accountId = LOCAL_ACCOUNT_ID;
  Object.assign(event.detail.resource.accessKeyDetails, { userName, accessKeyId: leaked });
  return { file: await tempFile('finding.json', JSON.stringify(event)), userName, leaked, decoy, iam };
}

describe('Deploy rehearsal: the packaged stack on the emulator, and the CLI answering for it', () => {
  it("creates the whole packaged stack (keystop.settings.yml's stage): its 7 functions, the table, topic, key and queue", () => {
    const count = (type: string) => deployed.resourceTypes.filter((t) => t === type).length;

    // moto creates only the types it models (organisationRehearsal.test.ts lists those it skips: alarms, resource policies).
    expect(deployed.status).toBe('CREATE_COMPLETE');
    expect(count('AWS::Lambda::Function')).toBe(7);
    expect([count('AWS::DynamoDB::Table'), count('AWS::SNS::Topic'), count('AWS::KMS::Key'), count('AWS::SQS::Queue')]).toEqual([
      1, 1, 1, 1,
    ]);
  });

  it('replay --stage with the settings the stack was deployed with acts as the deployment would: dry-run, nothing changed', async () => {
    const { file, userName, leaked, decoy, iam } = await torFinding();

    const { stdout } = await runCli(['replay', file, '--stage', STAGE], {
      endpoint: awsEndpoint(),
      env: { KEYSTOP_SETTINGS_FILE: settingsFile, KEYSTOP_ALERT_TOPIC_ARN: '' },
    });

    expect(stdout).toContain('Outcome: NOTIFIED (dry-run)');
    expect(await keyStatuses(iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
  });

  it('refuses to act when keystop.settings.yml changed since the deploy, naming each difference', async () => {
    const { file, userName, leaked, decoy, iam } = await torFinding();
    const edited = await tempFile('keystop.settings.yml', `${STAGE}:\n  dryRun: false\n`);

    const failure = await runCli(['replay', file, '--stage', STAGE], {
      endpoint: awsEndpoint(),
      env: { KEYSTOP_SETTINGS_FILE: edited, KEYSTOP_ALERT_TOPIC_ARN: '' },
    }).then(
      () => undefined,
      (error: Failure) => error,
    );

    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toContain(`refusing to act for stage ${STAGE}: its deployed functions (keystop-${STAGE}-guardduty)`);
    expect(failure?.stderr).toContain('dryRun: deployed true, here false');
    expect(failure?.stderr).toContain('exemptPrincipals: deployed "arn:aws:iam::123456789012:user/break-glass", here ""');
    expect(await keyStatuses(iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
  });

  it('doctor --stage reports the stack as deployed, and a changed setting as a difference (exit 1)', async () => {
    const edited = await tempFile(
      'keystop.settings.yml',
      `${STAGE}:\n  dryRun: true\n  exemptPrincipals: arn:aws:iam::123456789012:user/break-glass,arn:aws:iam::123456789012:role/ci-bot\n`,
    );
    const doctor = (settings: string) =>
      runCli(['doctor', '--stage', STAGE], { endpoint: awsEndpoint(), env: { KEYSTOP_SETTINGS_FILE: settings, KEYSTOP_EXEMPT_TAG: '' } });

    const same = await doctor(settingsFile);
    const changed = await doctor(edited).then(
      () => undefined,
      (error: Failure) => error,
    );

    expect(same.stdout.split('\n')[0]).toBe(
      `ok   deployed settings: keystop-${STAGE}-guardduty runs with stage ${STAGE} of ${settingsFile} (every setting it reads)`,
    );
    expect(changed?.code).toBe(1);
    expect(changed?.stdout).toContain(`WARN deployed settings: keystop-${STAGE}-guardduty differs from stage ${STAGE} of ${edited}:`);
    expect(changed?.stdout).toContain(
      'exemptPrincipals: deployed "arn:aws:iam::123456789012:user/break-glass", here "arn:aws:iam::123456789012:role/ci-bot,arn:aws:iam::123456789012:user/break-glass"',
    );
  });
});
