import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { SandboxReport } from '../../src/cli/sandbox/runSandbox';
import { awsEndpoint, uniqueName } from '../support/localAws';

const run = promisify(execFile);
const EXAMPLES = 'examples/follow';

/** examples/follow with its users renamed, so that runs on the shared emulator never meet. */
async function exampleSequence() {
  const [buildBot, opsAdmin] = [uniqueName('build-bot'), uniqueName('ops-admin')];
  const dir = await mkdtemp(join(tmpdir(), 'keystop-follow-'));
  const files: string[] = [];
  for (const name of (await readdir(EXAMPLES)).filter((f) => f.endsWith('.json')).sort()) {
    const text = (await readFile(join(EXAMPLES, name), 'utf8')).split('build-bot').join(buildBot).split('ops-admin').join(opsAdmin);
    await writeFile(join(dir, name), text);
    files.push(join(dir, name));
  }
  return { buildBot, opsAdmin, files };
}

const keysOf = (principals: SandboxReport['principals'], user: string) =>
  Object.fromEntries(principals.find((p) => p.name === user)!.keys.map((k) => [k.accessKeyId, k.status]));

describe('keystop sandbox: containment follows the attacker', () => {
  it('a leaked key that created a key for another user, then reported from Tor: both keys Inactive, the decoy Active, one alert', async () => {
    const { buildBot, opsAdmin, files } = await exampleSequence();

    const { stdout } = await run('node', ['bin/keystop.mjs', 'sandbox', ...files, '--json', '--endpoint', awsEndpoint()]);

    const [made, found] = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as SandboxReport);
    // 1. CloudTrail's record of the leaked key's CreateAccessKey: made on the emulator, noted; nothing contained yet.
    expect(made!.recordedCall).toMatchObject({ api: 'CreateAccessKey', applied: true });
    const created = made!.seededKeys.find((k) => k.original === 'AKIAEXAMPLEOPSADMIN1')!.seeded;
    expect(keysOf(made!.principals, opsAdmin)).toEqual({ [created]: 'Active' });
    // 2. GuardDuty reports the leaked key: it and the key it made are Inactive, its user's decoy stays Active.
    const leaked = found!.seededKeys.find((k) => k.original === 'AKIAEXAMPLEBUILDBOT1')!.seeded;
    const decoy = Object.keys(keysOf(found!.principals, buildBot)).find((id) => id !== leaked)!;
    expect(found).toMatchObject({ outcome: 'contained', reason: 'matched' });
    expect(keysOf(found!.principals, buildBot)).toEqual({ [leaked]: 'Inactive', [decoy]: 'Active' });
    expect(keysOf(found!.principals, opsAdmin)).toEqual({ [created]: 'Inactive' });
    expect(found!.actions).toContainEqual(expect.objectContaining({ type: 'follow-created', status: 'done', target: created }));
    expect(found!.notifications).toHaveLength(1);
    expect(found!.notifications[0]!.text).toContain(`deactivated ${created}, created for user ${opsAdmin} by the contained key`);
  });
});
