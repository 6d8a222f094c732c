import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** Tests run the CLI as users do, from its build: build it from the sources under test (no emulator needed). */
export default async function setup() {
  await promisify(execFile)(process.execPath, ['scripts/buildCli.mjs']);
}
