import { execFile } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicies } from '../../src/decide/defaultPolicies';
import { createAlertSink } from '../../src/local/createAlertSink';
import { createStateTable } from '../../src/local/createStateTable';
import { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS, localClients } from '../../src/local/localClients';
import { loadFixture } from '../support/loadFixture';
import { awsEndpoint, keyStatuses, uniqueName, userWithTwoKeys } from '../support/localAws';
import { lambdaEnvironment, type PackagedFunction, packagedFunctions, unpack } from '../support/packagedFunctions';
import { type CfnTemplate, packageRefusal, packageTemplate } from '../support/packageTemplate';

/** An operator's own policy set: Tor findings only alert (the shipped set contains them). */
const OPERATOR_POLICY = {
  name: 'operator-tor-alert-only',
  description: 'We investigate Tor use by hand before acting.',
  match: { source: ['guardduty'], type: [{ prefix: 'UnauthorizedAccess:IAMUser/TorIPCaller' }] },
  mode: 'notify-only',
  actions: [],
};
const HONEY_KEYS = ['AKIAHONEYBAITKEYAAAA', 'AKIAHONEYBAITKEYBBBB'];

async function tempJson(name: string, value: unknown) {
  const dir = await mkdtemp(join(tmpdir(), 'keystop-policies-'));
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(value, null, 2));
  return file;
}

let template: CfnTemplate;
let functions: PackagedFunction[];

beforeAll(async () => {
  const policiesFile = await tempJson('operator-policies.json', [OPERATOR_POLICY, ...defaultPolicies]);
  let dir: string;
  // Honey keys written as people write lists: with a blank after the comma.
  ({ template, dir } = await packageTemplate(`--param=policiesFile=${policiesFile}`, `--param=honeyKeys=${HONEY_KEYS.join(', ')}`));
  functions = await packagedFunctions(template, dir);
}, 180_000);

describe('Package-time check of the settings', () => {
  it('refuses to package with bad params, one line per param naming it and the allowed form', async () => {
    const typo = await tempJson('typo-policies.json', [{ ...OPERATOR_POLICY, match: { source: ['gaurdduty'] } }]);

    const { output, dir } = await packageRefusal(
      `--param=honeyKeys=${HONEY_KEYS[0]}, not-a-key`,
      '--param=breakerLimit=abc',
      '--param=dryRun=yes',
      '--param=debug=yes',
      '--param=memberAccounts=2222',
      '--param=breakerLimt=5',
      `--param=policiesFile=${typo}`,
    );

    expect(output).toContain(`param honeyKeys: "${HONEY_KEYS[0]}, not-a-key" each honey key must be an AKIA… access key id`);
    expect(output).toContain('param breakerLimit: "abc" must be a whole number from 1 to 10000');
    expect(output).toContain('param dryRun: "yes" must be true or false');
    expect(output).toContain('param debug: "yes" must be true or false');
    expect(output).toContain('param memberAccounts: "2222" each member account must be a 12-digit account id, or *');
    expect(output).toContain('param breakerLimt is not a Keystop setting');
    expect(output).toMatch(
      /param policiesFile: policy "operator-tor-alert-only": match\.source\[0\] "gaurdduty": is not one of guardduty, security-hub, /,
    );
    // Refused before building anything.
    expect(await readdir(dir)).toEqual([]);
  }, 120_000);

  it('deploys honey keys written with blanks as the keys themselves, in the bus pattern and the environment', () => {
    const rule = template.Resources.HoneyKeyUseRule!.Properties;
    const cloudtrail = functions.find((fn) => fn.name === 'cloudtrail')!;

    expect(rule.EventPattern.detail.userIdentity.accessKeyId).toEqual({ 'Fn::Split': [',', HONEY_KEYS.join(',')] });
    expect(cloudtrail.environment.KEYSTOP_HONEY_KEYS).toBe(HONEY_KEYS.join(','));
  });
});

describe('An operator policy file, bundled at package time', () => {
  it("puts the operator's policy set into every responder function", () => {
    // The alarm publisher decides nothing about credentials: it has no policies to carry.
    for (const fn of functions.filter((f) => f.name !== 'alarms')) {
      const code = fn.bundle.content.toString('utf8');
      expect(code, fn.name).toContain(OPERATOR_POLICY.name);
    }
  });

  it('changes what the packaged function does: the Tor finding only alerts, the key stays active', async () => {
    const clients = localClients(awsEndpoint());
    const sink = await createAlertSink(clients);
    const tableName = uniqueName('keystop-state');
    await createStateTable(clients.dynamodb, tableName);
    const { userName, leaked, decoy } = await userWithTwoKeys(clients.iam);
    const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
    event.detail.accountId = LOCAL_ACCOUNT_ID;
    Object.assign(event.detail.resource.accessKeyDetails, { userName, accessKeyId: leaked });
    const guardduty = functions.find((fn) => fn.name === 'guardduty')!;
    const file = await unpack(guardduty, await mkdtemp(join(tmpdir(), 'keystop-guardduty-')));
    const script =
      `const m = await import(${JSON.stringify(pathToFileURL(file).href)});` +
      `const responses = await m.${guardduty.exportName}(${JSON.stringify(event)}, { awsRequestId: 'test', functionName: 'keystop-prod-guardduty', getRemainingTimeInMillis: () => 30000 });` +
      'console.log(JSON.stringify(responses.map((r) => [r.outcome, r.reason, r.policy])));';

    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        PATH: process.env.PATH,
        ...lambdaEnvironment(template, guardduty),
        AWS_ENDPOINT_URL: awsEndpoint(),
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_SESSION_TOKEN: '',
        KEYSTOP_ALERT_TOPIC_ARN: sink.topicArn,
        KEYSTOP_STATE_TABLE: tableName,
        KEYSTOP_ACCOUNT_ID: LOCAL_ACCOUNT_ID,
        KEYSTOP_ACTIVITY_LOOKUP: 'false',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
      },
    });

    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual([['notified', 'notify-only-policy', OPERATOR_POLICY.name]]);
    expect(await keyStatuses(clients.iam, userName)).toEqual({ [leaked]: 'Active', [decoy]: 'Active' });
    expect(await sink.drain()).toHaveLength(1);
  });
});
