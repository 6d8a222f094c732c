import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LOCAL_CREDENTIALS } from '../../src/local/localClients';

/** Runs the `keystop` CLI; with `endpoint`, its AWS SDK calls go to the local emulator with dummy credentials. */
export async function runCli(args: string[], endpoint?: string) {
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
  return promisify(execFile)('node', ['bin/keystop.mjs', ...args], { env });
}
