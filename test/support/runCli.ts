import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LOCAL_CREDENTIALS } from '../../src/local/localClients';

export interface RunCliOptions {
  /** The CLI's AWS SDK calls go to this emulator (or proxy), with dummy credentials. */
  endpoint?: string;
  /** More environment variables, over the ones above. */
  env?: Record<string, string>;
}

/** Runs the `keystop` CLI as a user runs it (node bin/keystop.mjs); rejects with `code` on any exit code but 0. */
export async function runCli(args: string[], options: string | RunCliOptions = {}) {
  const { endpoint, env: extra = {} } = typeof options === 'string' ? { endpoint: options } : options;
  const env = endpoint
    ? {
        ...process.env,
        AWS_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_REGION: 'us-east-1',
        AWS_PROFILE: '',
      }
    : process.env;
  return promisify(execFile)('node', ['bin/keystop.mjs', ...args], { env: { ...env, ...extra } });
}

/** How a CLI run that must fail failed: its exit code and output (a run that exits 0 fails the test). */
export type CliFailure = { code: number; stdout: string; stderr: string };
export const failureOf = (run: Promise<unknown>): Promise<CliFailure> =>
  run.then(
    () => {
      throw new Error('the command exited 0');
    },
    (e: CliFailure) => e,
  );
