import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPolicies } from '../../src/decide/defaultPolicies';
import { LOCAL_ACCOUNT_ID } from '../../src/local/localClients';
import { startFaultProxy } from '../support/faultProxy';
import { fixturePath, loadFixture } from '../support/loadFixture';
import { awsEndpoint } from '../support/localAws';
import { failureOf, runCli } from '../support/runCli';

async function tempJson(name: string, value: unknown) {
  const file = join(await mkdtemp(join(tmpdir(), 'keystop-cli-')), name);
  await writeFile(file, JSON.stringify(value));
  return file;
}

/** An operator's policy set: Tor findings only alert. */
const torAlertOnly = {
  name: 'operator-tor-alert-only',
  description: 'We investigate Tor use by hand before acting.',
  match: { source: ['guardduty'], type: [{ prefix: 'UnauthorizedAccess:IAMUser/TorIPCaller' }] },
  mode: 'notify-only',
  actions: [],
};
const TOR = fixturePath('guardduty/tor-ip-caller-long-term-key.json');
const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

describe("The deciding commands take the deployment's policies and settings", () => {
  // Two sandbox runs through the CLI, one after the other: more time than one command's on a loaded machine.
  it('sandbox --policies: a custom policy file changes what Keystop does with the same finding', { timeout: 90_000 }, async () => {
    const policies = await tempJson('policies.json', [torAlertOnly, ...defaultPolicies]);

    const [shipped] = jsonLines((await runCli(['sandbox', TOR, '--json', '--endpoint-url', awsEndpoint()])).stdout);
    const [custom] = jsonLines((await runCli(['sandbox', TOR, '--json', '--endpoint-url', awsEndpoint(), '--policies', policies])).stdout);

    expect([shipped.outcome, shipped.policy]).toEqual(['contained', 'guardduty-key-used-by-attacker']);
    expect([custom.outcome, custom.reason, custom.policy]).toEqual(['notified', 'notify-only-policy', torAlertOnly.name]);
    const named = custom.principals[0].keys.find((k: { named: boolean }) => k.named);
    expect(named.status).toBe('Active');
  });

  it('sandbox exits 1 when an event fails (malformed), after printing its report', async () => {
    const malformed = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
    delete malformed.detail.resource;
    const file = await tempJson('malformed.json', malformed);

    const failure = await failureOf(runCli(['sandbox', file, '--json', '--endpoint-url', awsEndpoint()]));

    expect(failure.code).toBe(1);
    expect(jsonLines(failure.stdout)[0]).toMatchObject({ outcome: 'failed', reason: 'malformed-event' });
  });

  it('policies explain applies the exemptions, dry-run and the account allow-list from the environment, without AWS', async () => {
    const event = loadFixture('guardduty/tor-ip-caller-long-term-key.json');
    const file = await tempJson('tor.json', event);
    const userName: string = event.detail.resource.accessKeyDetails.userName;
    const accountId: string = event.detail.accountId;
    const explain = async (env: Record<string, string>, ...args: string[]) =>
      JSON.parse((await runCli(['policies', 'explain', file, '--json', ...args], { env })).stdout).plans[0];

    const exempt = await explain({
      KEYSTOP_EXEMPT_PRINCIPALS: `arn:aws:iam::${accountId}:user/someone-else, arn:aws:iam::${accountId}:user/${userName}`,
    });
    const dryRun = await explain({ KEYSTOP_DRY_RUN: 'true' });
    const notAllowed = await explain({ KEYSTOP_ACCOUNT_ID: LOCAL_ACCOUNT_ID, KEYSTOP_MEMBER_ACCOUNTS: '999999999999' });
    const allowed = await explain({}, '--account-id', LOCAL_ACCOUNT_ID, '--member-accounts', accountId);

    expect([exempt.reason, exempt.execute]).toEqual(['exempt-principal', false]);
    expect([dryRun.reason, dryRun.execute]).toEqual(['dry-run', false]);
    expect([notAllowed.reason, notAllowed.execute]).toEqual(['account-not-allowed', false]);
    expect([allowed.reason, allowed.execute, allowed.policy]).toEqual(['matched', true, 'guardduty-key-used-by-attacker']);
  });

  it('refuses a bad setting with exit 2, naming the flag and its environment variable', async () => {
    const failure = await failureOf(runCli(['policies', 'explain', TOR], { env: { KEYSTOP_HONEY_KEYS: 'AKIA1234' } }));

    expect(failure.code).toBe(2);
    expect(failure.stderr).toContain('--honey-keys (or KEYSTOP_HONEY_KEYS) "AKIA1234" each honey key must be an AKIA… access key id');
  });

  it('config check runs the package-time check: exit 2 and one line per bad param; 0 when valid', async () => {
    const bad = await failureOf(runCli(['config', 'check', '--param', 'breakerLimit=abc', '--param', 'memberAccounts=12']));
    const good = await runCli(['config', 'check', '--stage', 'prod', '--json']);

    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('param breakerLimit: "abc" must be a whole number from 1 to 10000');
    expect(bad.stderr).toContain('param memberAccounts: "12" each member account must be a 12-digit account id, or *');
    expect(JSON.parse(good.stdout)).toMatchObject({ ok: true, stage: 'prod', problems: [] });
  });
  it('config check leaves a param written as a variable to osls package, and still checks the others', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keystop-service-'));
    const config = join(dir, 'serverless.yml');
    await writeFile(
      config,
      [
        'params:',
        '  staging:',
        '    honeyKeys: ${ssm:/keystop/honey-keys}',
        '    breakerLimit: lots',
        '  default:',
        `    policiesFile: ${join(import.meta.dirname, '..', '..', 'src', 'policies', 'policies.json')}`,
        '',
      ].join('\n'),
    );

    const failure = await failureOf(runCli(['config', 'check', '--config', config, '--stage', 'staging']));

    expect(failure.code).toBe(2);
    expect(failure.stderr).toContain('not checked here, osls package checks their values: honeyKeys (${ssm:/keystop/honey-keys})');
    expect(failure.stderr).toContain('param breakerLimit: "lots" must be a whole number from 1 to 10000');
    expect(failure.stderr).not.toContain('param honeyKeys');
  });
});

describe('Uniform CLI habits', () => {
  it('prints its version and exits 2 on an unknown option', async () => {
    const { version } = JSON.parse(await import('node:fs/promises').then((fs) => fs.readFile('package.json', 'utf8')));

    expect((await runCli(['--version'])).stdout.trim()).toBe(version);
    expect((await failureOf(runCli(['sandbox', TOR, '--no-such-flag']))).code).toBe(2);
  });

  it.each([
    {
      case: 'a limit that is not a number',
      args: ['--limit', 'abc'],
      message: '--limit (or KEYSTOP_BREAKER_LIMIT) "abc" must be a whole number',
    },
    { case: 'an account id of 2 digits', args: ['--account', '12'], message: '--account "12" is not a 12-digit account id' },
  ])('breaker status refuses $case with exit 2 before any AWS request', async ({ args, message }) => {
    const proxy = await startFaultProxy(awsEndpoint());
    try {
      const failure = await failureOf(runCli(['breaker', 'status', ...args], { endpoint: proxy.endpoint }));

      expect(failure.code).toBe(2);
      expect(failure.stderr).toContain(message);
      expect(proxy.requests).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it('names the state table and the region it looked in (AWS_DEFAULT_REGION when AWS_REGION is unset)', async () => {
    const failure = await failureOf(
      runCli(['breaker', 'status', '--stage', 'nosuchstage', '--account', LOCAL_ACCOUNT_ID], {
        endpoint: awsEndpoint(),
        env: { AWS_REGION: '', AWS_DEFAULT_REGION: 'eu-west-1' },
      }),
    );

    expect(failure.code).toBe(2);
    expect(failure.stderr.trim()).toBe(
      'keystop: no state table keystop-state-nosuchstage in eu-west-1 (ResourceNotFoundException): check --stage, --region and the account of your credentials',
    );
  });

  it('reports an AWS error as one sentence with its code', async () => {
    const proxy = await startFaultProxy(awsEndpoint(), { fault: 'server-error', count: Infinity });
    try {
      const failure = await failureOf(runCli(['breaker', 'status', '--account', LOCAL_ACCOUNT_ID], { endpoint: proxy.endpoint }));

      expect(failure.code).toBe(1);
      expect(failure.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^keystop: AWS refused the request: InternalServerError \(HTTP 500\): /),
      ]);
    } finally {
      await proxy.stop();
    }
  });
});

describe('AWS CLI habits: --profile', () => {
  it('takes the region from the named profile of the AWS config file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keystop-aws-config-'));
    const config = join(dir, 'config');
    await writeFile(
      config,
      '[profile responder]\nregion = eu-west-2\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = example\n',
    );

    const failure = await failureOf(
      runCli(['breaker', 'status', '--profile', 'responder', '--stage', 'nosuchstage', '--account', LOCAL_ACCOUNT_ID], {
        endpoint: awsEndpoint(),
        env: { AWS_REGION: '', AWS_DEFAULT_REGION: '', AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') },
      }),
    );

    // The request reached DynamoDB in the profile's region. (Above it, the SDK warns that the test's environment
    // also holds static credentials: it goes with the profile, as a responder naming --profile means.)
    expect(failure.stderr.trim().split('\n').at(-1)).toBe(
      'keystop: no state table keystop-state-nosuchstage in eu-west-2 (ResourceNotFoundException): check --stage, --region and the account of your credentials',
    );
  });
});
