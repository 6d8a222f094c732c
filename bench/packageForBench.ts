import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CfnTemplate } from '../test/support/packageTemplate';

/**
 * `osls package` into a folder of its own (offline, no AWS credentials), as deployed: the tests' packageTemplate
 * shares a cache that only exists inside a vitest run, so the bench packages for itself.
 */
export async function packageForBench(...args: string[]): Promise<{ template: CfnTemplate; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'keystop-bench-package-'));
  await promisify(execFile)('npx', ['osls', 'package', '--package', dir, ...args], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', SLS_TELEMETRY_DISABLED: '1' },
    timeout: 300_000,
  });
  const template = JSON.parse(await readFile(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as CfnTemplate;
  return { template, dir };
}

export function resourcesOfType(template: CfnTemplate, type: string) {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}
