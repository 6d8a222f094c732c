import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/** A running local AWS emulator (moto server) on a loopback port. */
export interface LocalAws {
  endpoint: string;
  pid: number;
  stop(): Promise<void>;
}

export class LocalAwsUnavailableError extends Error {
  override readonly name = 'LocalAwsUnavailableError';
}

const INSTALL_HINT =
  "The local AWS emulator is moto's server. Install it with: pip install 'moto[server]' " +
  '(or set KEYSTOP_PYTHON to a python3 that has it).';

export interface StartOptions {
  /** How long to wait for the emulator to answer; it usually takes 1–2 s. */
  timeoutMs?: number;
}

/**
 * moto's server, with one DynamoDB request handled at a time. moto serves each connection in its own thread and takes
 * no lock around an operation: two conditional writes to one DynamoDB item that arrive together could both pass their
 * condition (seen: two invocations both claiming one credential), where DynamoDB applies writes to an item one at a
 * time. Requests still arrive concurrently and other services are served as before (a lock around all of them would
 * stall everything behind an SQS long poll, and deadlock on a call moto makes back into itself).
 */
const SERIAL_MOTO_SERVER = `
import sys, threading
import moto.server as server
lock = threading.Lock()
run_simple = server.run_simple
def serial(app):
    def handle(environ, start_response):
        if not environ.get('HTTP_X_AMZ_TARGET', '').startswith('DynamoDB_'):
            return app(environ, start_response)
        with lock:
            response = app(environ, start_response)
            try:
                return list(response)
            finally:
                if hasattr(response, 'close'):
                    response.close()
    return handle
server.run_simple = lambda host, port, app, **options: run_simple(host, port, serial(app), **options)
server.main(sys.argv[1:])
`;

/** Starts moto server on a free loopback port and resolves once it answers. Used by tests, the CLI and CI alike. */
export async function startLocalAws({ timeoutMs = 30_000 }: StartOptions = {}): Promise<LocalAws> {
  const python = process.env.KEYSTOP_PYTHON ?? 'python3';
  const probe = spawnSync(python, ['-c', 'import moto.server'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    const why = probe.error ? probe.error.message : probe.stderr.trim().split('\n').at(-1);
    throw new LocalAwsUnavailableError(`cannot start the local AWS emulator (${why}). ${INSTALL_HINT}`);
  }
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(python, ['-c', SERIAL_MOTO_SERVER, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // AWS-managed policies (e.g. AWSCompromisedKeyQuarantineV2) exist in IAM only when moto loads them. The caller's
    // profile is none of the emulator's business: botocore inside moto answers HTTP 500 to every request when
    // AWS_PROFILE names no profile (an exported empty AWS_PROFILE did).
    env: { ...withoutProfile(process.env), MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  try {
    await waitUntilReady(endpoint, child, timeoutMs, () => stderr);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    endpoint,
    pid: child.pid!,
    stop: () => stopProcess(child),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('could not find a free loopback port');
  return address.port;
}

async function waitUntilReady(endpoint: string, child: ChildProcess, timeoutMs: number, stderr: () => string) {
  // The wall clock, not deps.now: a deadline for a child process to start, decided by no test (src/aws/clock.ts).
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new LocalAwsUnavailableError(`the local AWS emulator exited with code ${child.exitCode}: ${stderr()}`);
    }
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new LocalAwsUnavailableError(`the local AWS emulator did not answer within ${timeoutMs} ms: ${stderr()}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

function withoutProfile(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { AWS_PROFILE: _profile, AWS_DEFAULT_PROFILE: _default, ...rest } = env;
  return rest;
}
