import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy } from '../support/faultProxy';
import { awsEndpoint } from '../support/localAws';
import { failureOf, runCli } from '../support/runCli';

/**
 * The commands that call AWS first thing, as a responder types them: one per way in (the responding commands' deps,
 * the state table's operator store, which breaker and release share with incidents, doctor's checks, selftest).
 */
const COMMANDS = [['contain', '--access-key', 'AKIAZZZZZZZZZZZZZZZZ'], ['incidents'], ['doctor'], ['selftest']];

let closedPort: string;
let notAws: Server;
let notAwsEndpoint: string;
let home: string;

beforeAll(async () => {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  closedPort = `http://127.0.0.1:${(probe.address() as { port: number }).port}`;
  probe.close();
  // A web server where AWS was expected (a mistyped --endpoint-url): it answers HTML.
  notAws = createServer((_, res) => res.writeHead(501, { 'content-type': 'text/html' }).end('<html><head><meta></head></html>'));
  notAws.listen(0, '127.0.0.1');
  await once(notAws, 'listening');
  notAwsEndpoint = `http://127.0.0.1:${(notAws.address() as { port: number }).port}`;
  home = await mkdtemp(join(tmpdir(), 'keystop-home-'));
});

afterAll(() => {
  notAws.close();
});

/**
 * What a run printed on failure, stdout and stderr: one line of its own (after the settings line), no SDK stack or
 * internals. (doctor prints a check that could not be made on stdout, as its finding.)
 */
function expectOneLine({ stdout, stderr }: { stdout: string; stderr: string }, message: RegExp) {
  const output = `${stdout}${stderr}`;
  expect(output).not.toMatch(/^\s+at |\$response|Deserialization error|node_modules/m);
  const lines = output.split('\n').filter((line) => line !== '' && !line.startsWith('keystop: settings:'));
  expect(lines).toEqual([expect.stringMatching(message)]);
}

describe('CLI: AWS and network errors are one line with the fix, and the documented exit code', () => {
  it.each(COMMANDS)('%s: an endpoint that refuses connections -> "cannot reach", exit 1', async (...args) => {
    const failure = await failureOf(runCli(args, closedPort));

    expect(failure.code).toBe(1);
    expectOneLine(failure, /^keystop: cannot reach .* \(ECONNREFUSED\): check --region and --endpoint-url$/);
  });

  it.each(COMMANDS)('%s: an endpoint that is not AWS -> "did not answer like AWS", exit 1', async (...args) => {
    const failure = await failureOf(runCli(args, notAwsEndpoint));

    expect(failure.code).toBe(1);
    expectOneLine(failure, /the endpoint did not answer like AWS \(.*HTTP 501\): check --region and --endpoint-url/);
  });

  it.each(COMMANDS)('%s: no credentials at all -> "no AWS credentials", exit 2', async (...args) => {
    const failure = await failureOf(
      runCli(args, {
        env: {
          AWS_ACCESS_KEY_ID: '',
          AWS_SECRET_ACCESS_KEY: '',
          AWS_SESSION_TOKEN: '',
          AWS_PROFILE: '',
          AWS_REGION: 'us-east-1',
          HOME: home,
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_ENDPOINT_URL: awsEndpoint(),
        },
      }),
    );

    expect(failure.code).toBe(2);
    expectOneLine(failure, /^keystop: no AWS credentials: .*\(use --profile, or set AWS_PROFILE or the AWS_ACCESS_KEY_ID variables\)$/);
  });

  it.each(COMMANDS)('%s: expired credentials -> the code AWS gave and how to sign in again, exit 2', async (...args) => {
    const proxy = await startFaultProxy(awsEndpoint(), { fault: 'expired-token', count: Number.POSITIVE_INFINITY });
    try {
      const failure = await failureOf(runCli(args, proxy.endpoint));

      expect(failure.code).toBe(2);
      expectOneLine(failure, /^keystop: AWS refused the request: ExpiredToken.*: sign in again \(aws sso login, new session credentials\)/);
      expect(proxy.forwarded()).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it('contain: AccessDenied -> the code AWS gave and which permission to get, exit 1, the key untouched', async () => {
    const proxy = await startFaultProxy(awsEndpoint(), { fault: 'access-denied', count: Number.POSITIVE_INFINITY });
    try {
      const failure = await failureOf(runCli(['contain', '--access-key', 'AKIAZZZZZZZZZZZZZZZZ'], proxy.endpoint));

      expect(failure.code).toBe(1);
      expectOneLine(failure, /^keystop: AWS refused the request: AccessDenied \(HTTP 403\): .* — your principal may not do this/);
      expect(proxy.forwarded()).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });
});
