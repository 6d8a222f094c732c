import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRefusal } from '../support/packageTemplate';
import { failureOf, runCli } from '../support/runCli';

/** Valid by the policy schema, but it tags principals on Health notices, which the health function's role cannot. */
const TAG_ON_HEALTH = [
  {
    name: 'health-tag-principal',
    description: 'Tag whoever AWS Health reports.',
    match: { source: ['health'] },
    mode: 'contain',
    actions: [{ type: 'tag-principal' }],
  },
];
const MISSING =
  "the policies act on health incidents with iam:TagRole, iam:TagUser, which the health function's role (HealthResponderRole) does not grant";

describe('One validation of a policy file, three callers: osls package, keystop config check, keystop policies validate', () => {
  it('policies validate refuses the file packaging refuses, with the same line', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'keystop-policies-')), 'tag-on-health.json');
    await writeFile(file, JSON.stringify(TAG_ON_HEALTH));

    const { output } = await packageRefusal(`--param=policiesFile=${file}`);
    const configCheck = await failureOf(runCli(['config', 'check', '--param', `policiesFile=${file}`]));
    const validate = await failureOf(runCli(['policies', 'validate', file]));

    expect(output).toContain(MISSING);
    expect(configCheck).toMatchObject({ code: 2, stderr: expect.stringContaining(MISSING) });
    expect(validate).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining(MISSING) });
  }, 120_000);
});
