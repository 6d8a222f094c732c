import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { type CfnTemplate, packageRefusalWith, packageTemplate, packageTemplateWith } from '../support/packageTemplate';

const root = join(import.meta.dirname, '..', '..');

/** The environment every function of the packaged stack is given (provider-wide and its own). */
function environmentOf(template: CfnTemplate, functionName: string): Record<string, unknown> {
  const fn = Object.values(template.Resources).find(
    (r) => r.Type === 'AWS::Lambda::Function' && String(r.Properties.FunctionName).endsWith(`-${functionName}`),
  );
  if (!fn) throw new Error(`no function ${functionName} in the template`);
  return fn.Properties.Environment.Variables;
}

const SETTINGS = [
  '# an operator writes their settings here, not in serverless.yml',
  'default:',
  '  exemptPrincipals: arn:aws:iam::123456789012:user/break-glass-admin',
  'staging:',
  '  dryRun: true',
  '  breakerLimit: 20',
  'prod:',
  '  breakerLimit: 30',
  '',
].join('\n');

describe('keystop.settings.yml: the deployment settings, outside the product files', () => {
  it('osls package --stage S deploys stage S of the file (over its default: block), and nothing of another stage', async () => {
    const { template } = await packageTemplateWith({ settings: SETTINGS }, '--stage', 'staging');
    const env = environmentOf(template, 'guardduty');

    expect([env.KEYSTOP_DRY_RUN, env.KEYSTOP_BREAKER_LIMIT, env.KEYSTOP_EXEMPT_PRINCIPALS]).toEqual([
      'true',
      '20',
      'arn:aws:iam::123456789012:user/break-glass-admin',
    ]);
  }, 180_000);

  it('--param still wins over the file for one command', async () => {
    const { template } = await packageTemplateWith({ settings: SETTINGS }, '--stage', 'staging', '--param=breakerLimit=7');

    expect(environmentOf(template, 'guardduty').KEYSTOP_BREAKER_LIMIT).toBe('7');
  }, 180_000);

  it("the suite's own packages run on the defaults, whatever a developer's keystop.settings.yml says", async () => {
    const { template } = await packageTemplate();
    const env = environmentOf(template, 'guardduty');

    expect(process.env.KEYSTOP_SETTINGS_FILE).toBe('/nonexistent/keystop.settings.yml');
    expect([env.KEYSTOP_DRY_RUN, env.KEYSTOP_BREAKER_LIMIT, env.KEYSTOP_EXEMPT_PRINCIPALS]).toEqual(['false', '10', '']);
  }, 180_000);

  it('refuses to package a stage whose settings in the file are wrong, naming the file and the param', async () => {
    const { output } = await packageRefusalWith({ settings: 'prod:\n  breakerLimit: lots\n  dryRn: true\n' }, '--stage', 'prod');

    expect(output).toContain('param breakerLimit: "lots" must be a whole number from 1 to 10000');
    expect(output).toMatch(/param dryRn is not a Keystop setting/);
    expect(output).toMatch(/stage prod of .*keystop\.settings\.yml/);
  }, 120_000);

  it('a settings file survives `git pull` of a later commit that changes serverless.yml and the example', async () => {
    const git = (cwd: string, ...args: string[]) =>
      promisify(execFile)('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd });
    // Prepare: an upstream with the product's files as shipped; a clone where the operator writes their settings.
    const upstream = await mkdtemp(join(tmpdir(), 'keystop-upstream-'));
    for (const file of ['.gitignore', 'serverless.yml', 'keystop.settings.example.yml'])
      await copyFile(join(root, file), join(upstream, file));
    await git(upstream, 'init', '-q', '-b', 'main');
    await git(upstream, 'add', '.');
    await git(upstream, 'commit', '-q', '-m', 'release 1');
    const clone = join(await mkdtemp(join(tmpdir(), 'keystop-clone-')), 'keystop');
    await git(upstream, 'clone', '-q', upstream, clone);
    await writeFile(join(clone, 'keystop.settings.yml'), SETTINGS);
    // A later release changes the product's files.
    for (const file of ['serverless.yml', 'keystop.settings.example.yml']) {
      await writeFile(join(upstream, file), `${await readFile(join(upstream, file), 'utf8')}# release 2\n`);
    }
    await git(upstream, 'commit', '-q', '-am', 'release 2');

    // Act
    await git(clone, 'pull', '-q', '--ff-only');

    // Assess: upgraded, settings untouched, and git does not even see them.
    expect(await readFile(join(clone, 'serverless.yml'), 'utf8')).toMatch(/# release 2\n$/);
    expect(await readFile(join(clone, 'keystop.settings.yml'), 'utf8')).toBe(SETTINGS);
    expect((await git(clone, 'status', '--porcelain', '--ignored')).stdout).toBe('!! keystop.settings.yml\n');
  });
});
