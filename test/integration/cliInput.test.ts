import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fixturePath } from '../support/loadFixture';
import { failureOf, runCli } from '../support/runCli';

const TOR = fixturePath('guardduty/tor-ip-caller-long-term-key.json');

/** The CLI with `input` on its standard input. */
async function withStdin(args: string[], input: Buffer | string) {
  const running = promisify(execFile)('node', ['bin/keystop.mjs', ...args]);
  running.child.stdin!.end(input);
  return running;
}

async function tempFile(name: string, content: Buffer | string) {
  const file = join(await mkdtemp(join(tmpdir(), 'keystop-input-')), name);
  await writeFile(file, content);
  return file;
}

describe('Event input as responders hold it: stdin, gzip, and JSON errors said as such', () => {
  it("reads the event from standard input when the file is '-'", async () => {
    const { stdout } = await withStdin(['policies', 'explain', '-', '--json'], await readFile(TOR));

    expect(JSON.parse(stdout).plans[0]).toMatchObject({ policy: 'guardduty-key-used-by-attacker', execute: true });
  });

  it('reads a gzipped file (a CloudTrail log as downloaded from S3), from a path or from stdin', async () => {
    const records = { Records: [JSON.parse(await readFile(fixturePath('cloudtrail/honey-key-used.json'), 'utf8')).detail] };
    const gz = await tempFile('111122223333_CloudTrail_us-east-1_20261205T0000Z_abc.json.gz', gzipSync(JSON.stringify(records)));
    const plain = await tempFile('records.json', JSON.stringify(records));

    const fromFile = await runCli(['policies', 'explain', gz, '--json']);
    const fromStdin = await withStdin(['policies', 'explain', '-', '--json'], gzipSync(JSON.stringify(records)));
    const uncompressed = await runCli(['policies', 'explain', plain, '--json']);

    expect(JSON.parse(fromFile.stdout)).toEqual(JSON.parse(uncompressed.stdout));
    expect(JSON.parse(fromStdin.stdout)).toEqual(JSON.parse(uncompressed.stdout));
  });

  it('says a JSON syntax error is one (exit 2), not that the file is not an event', async () => {
    const truncated = await tempFile('truncated.json', (await readFile(TOR, 'utf8')).slice(0, 200));

    const failure = await failureOf(runCli(['policies', 'explain', truncated]));

    expect(failure.code).toBe(2);
    expect(failure.stderr).toMatch(new RegExp(`^keystop: ${truncated} is not valid JSON: .*JSON`));
  });

  it('names a profile that does not exist, exit 2 before anything is attempted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keystop-aws-'));

    const failure = await failureOf(
      runCli(['incidents', '--profile', 'no-such-profile', '--region', 'us-east-1'], {
        env: {
          AWS_CONFIG_FILE: join(dir, 'config'),
          AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
          AWS_ACCESS_KEY_ID: '',
          AWS_SECRET_ACCESS_KEY: '',
        },
      }),
    );

    expect(failure.code).toBe(2);
    expect(failure.stderr.trim().split('\n').at(-1)).toBe(
      `keystop: profile no-such-profile not found in ${join(dir, 'config')} or ${join(dir, 'credentials')} (check --profile or AWS_PROFILE; aws configure list-profiles)`,
    );
  });
});
