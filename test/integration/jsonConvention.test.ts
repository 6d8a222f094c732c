import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/buildProgram';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localClients } from '../../src/local/localClients';
import { fixturePath } from '../support/loadFixture';
import { awsEndpoint, uniqueName, userWithTwoKeys } from '../support/localAws';
import { runCli } from '../support/runCli';

type Convention = 'lines' | 'document';

/** Every command (by its path, e.g. "incidents show") that takes --json, with the convention its help states. */
function jsonConventions(command: Command, path: string[] = []): Record<string, Convention | string> {
  const own = command.options.find((option) => option.long === '--json');
  const here: Record<string, Convention | string> = {};
  if (own) {
    const { description } = own;
    here[path.join(' ')] = /as JSON Lines: one JSON object per line$/.test(description)
      ? 'lines'
      : /as one JSON document$/.test(description)
        ? 'document'
        : `states no convention: "${description}"`;
  }
  return Object.assign(here, ...command.commands.map((sub) => jsonConventions(sub, [...path, sub.name()])));
}

const conventions = jsonConventions(buildProgram());

/** Parses stdout under a convention: JSON Lines (each line an object), or one JSON document. */
function parse(stdout: string, convention: Convention): unknown[] {
  if (convention === 'document') return [JSON.parse(stdout)];
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
}

const table = uniqueName('keystop-state-json');
const stage = uniqueName('json').replace('-', '');
let leaked: string;
let userName: string;
let twoEvents: string;

beforeAll(async () => {
  const clients = localClients(awsEndpoint());
  ({ userName, leaked } = await userWithTwoKeys(clients.iam));
  const dir = await mkdtemp(join(tmpdir(), 'keystop-json-'));
  twoEvents = join(dir, 'two-samples.json');
  const sample = JSON.parse(await readFile('examples/guardduty-sample-finding.json', 'utf8'));
  await writeFile(twoEvents, JSON.stringify([sample, sample]));
  // A deployed GuardDuty function for selftest to invoke: the emulator runs no code (no Docker here) and does not
  // unpack it, so selftest reports its checks failed; what is tested here is that it reports them as one JSON document.
  const { Role } = await clients.iam.send(new CreateRoleCommand({ RoleName: uniqueName('fn'), AssumeRolePolicyDocument: '{}' }));
  await new LambdaClient({ endpoint: awsEndpoint(), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }).send(
    new CreateFunctionCommand({
      FunctionName: `keystop-${stage}-guardduty`,
      Runtime: 'nodejs22.x',
      Role: Role!.Arn!,
      Handler: 'index.handler',
      Code: { ZipFile: new TextEncoder().encode('never run') },
    }),
  );
  // The state table, with a contained credential in it (the sandbox seeds its own user for the event's key).
  await runCli([
    'sandbox',
    fixturePath('guardduty/tor-ip-caller-long-term-key.json'),
    '--state-table',
    table,
    '--endpoint-url',
    awsEndpoint(),
  ]);
});

/** One run of each command that takes --json, in an order that gives the later ones something to show. */
const runs: [string, () => string[]][] = [
  [
    'sandbox',
    () => ['sandbox', fixturePath('guardduty/tor-ip-caller-long-term-key.json'), 'examples/guardduty-sample-finding.json', '--json'],
  ],
  ['demo', () => ['demo', '--json', '--endpoint-url', awsEndpoint()]],
  ['policies validate', () => ['policies', 'validate', '--json']],
  ['policies explain', () => ['policies', 'explain', twoEvents, '--json']],
  ['config check', () => ['config', 'check', '--json']],
  ['replay', () => ['replay', twoEvents, '--json']],
  ['contain', () => ['contain', '--access-key', leaked, '--user', userName, '--table', table, '--json']],
  ['incidents', () => ['incidents', '--table', table, '--json']],
  ['incidents show', () => ['incidents', 'show', leaked, '--table', table, '--json']],
  ['release', () => ['release', '--access-key', leaked, '--reason', 'json test', '--table', table, '--json']],
  ['breaker status', () => ['breaker', 'status', '--table', table, '--json']],
  ['breaker reset', () => ['breaker', 'reset', '--table', table, '--json']],
  ['doctor', () => ['doctor', '--principal', `arn:aws:iam::123456789012:user/${userName}`, '--json']],
  ['selftest', () => ['selftest', '--stage', stage, '--json']],
];

describe("CLI --json: one convention, stated in each command's help", () => {
  it('states JSON Lines or one JSON document in the --json help of every command that has --json', () => {
    expect(Object.entries(conventions).filter(([, convention]) => convention !== 'lines' && convention !== 'document')).toEqual([]);
    expect(Object.keys(conventions).sort()).toEqual(runs.map(([name]) => name).sort());
  });

  it.each(runs)('%s --json parses under the convention its help states', async (name, args) => {
    const convention = conventions[name] as Convention;

    // Commands that report a failed check or response exit 1 after printing: their output is parsed all the same.
    const { stdout } = await runCli(args(), { endpoint: awsEndpoint(), env: { KEYSTOP_ALERT_TOPIC_ARN: '' } }).catch(
      (failure: { code: number; stdout: string; stderr: string }) => {
        if (failure.code !== 1) throw new Error(`${name} exited ${failure.code}: ${failure.stderr}`);
        return failure;
      },
    );
    const parsed = parse(stdout, convention);

    expect(parsed.length).toBeGreaterThan(0);
    for (const value of parsed) expect(value).toBeTypeOf('object');
  });
});
