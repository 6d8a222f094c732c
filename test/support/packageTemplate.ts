import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { resolveConditions } from './resolveConditions';

export interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties: Record<string, any> }>;
}

/**
 * The organisation deployment (docs/deploy.md), as params: its home account is a delegated administrator with
 * Security Hub, so the custom action is on. Every test that packages it uses this list, so it is packaged once a run.
 */
export const ORGANISATION_SETTINGS = {
  memberRoleName: 'KeystopMember',
  externalId: 'keystop-o-a1b2c3d4e5',
  memberAccounts: '*',
  organizationId: 'o-a1b2c3d4e5',
  honeyKeys: 'AKIAHONEYBAITKEY0001',
  securityHubAction: 'true',
} as const;
export const ORGANISATION_PARAMS = Object.entries(ORGANISATION_SETTINGS).map(([name, value]) => `--param=${name}=${value}`);

/**
 * Runs `osls package` (offline, no AWS credentials) once per configuration per test run, and returns the
 * CloudFormation it wrote: test files asking for the same configuration share the package (read it, never change it).
 */
export function packageTemplate(...args: string[]): Promise<{ template: CfnTemplate; dir: string }> {
  return packageTemplateWith({}, ...args);
}

/** packageTemplate with the settings file named: its text is written to a temporary file osls reads. */
export async function packageTemplateWith(
  { settings }: { settings?: string },
  ...args: string[]
): Promise<{ template: CfnTemplate; dir: string }> {
  const dir = join(
    inject('packageCache'),
    createHash('sha256')
      .update(JSON.stringify([args, settings]))
      .digest('hex')
      .slice(0, 16),
  );
  const env = settings === undefined ? {} : { KEYSTOP_SETTINGS_FILE: await settingsFileOf(settings) };
  // serverless-esbuild builds in the service's own .esbuild folder: test files packaging at once would overwrite each
  // other's bundles, so one packaging at a time.
  await withPackagingLock(async () => {
    if (await stat(join(dir, 'cloudformation-template-update-stack.json')).catch(() => undefined)) return;
    await promisify(execFile)('npx', ['osls', 'package', '--package', dir, ...args], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', SLS_TELEMETRY_DISABLED: '1', ...env },
      timeout: 120_000,
    });
  });
  const template = JSON.parse(await readFile(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as CfnTemplate;
  return { template, dir };
}

/** Runs `osls package` expecting it to refuse; returns what it printed (it rejects if packaging succeeds). */
export function packageRefusal(...args: string[]): Promise<{ output: string; dir: string }> {
  return packageRefusalWith({}, ...args);
}

/** packageRefusal with a settings file (its text). */
export async function packageRefusalWith({ settings }: { settings?: string }, ...args: string[]): Promise<{ output: string; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'keystop-package-'));
  const env = settings === undefined ? {} : { KEYSTOP_SETTINGS_FILE: await settingsFileOf(settings) };
  const failure = await withPackagingLock(() =>
    promisify(execFile)('npx', ['osls', 'package', '--package', dir, ...args], {
      env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', SLS_TELEMETRY_DISABLED: '1', ...env },
      timeout: 120_000,
    }),
  ).then(
    () => undefined,
    (error: { stdout: string; stderr: string }) => error,
  );
  if (!failure) throw new Error(`osls package ${args.join(' ')} succeeded; it should have refused`);
  return { output: `${failure.stdout}\n${failure.stderr}`, dir };
}

export function resourcesOfType(template: CfnTemplate, type: string) {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

/** Every statement of every inline policy of a role, as deployed (conditions resolved). */
export function statementsOf(
  template: CfnTemplate,
  roleId: string,
): { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown }[] {
  const role = resolveConditions(template).Resources[roleId];
  if (!role) throw new Error(`no resource ${roleId} in the template`);
  return (role.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement);
}

export const actionsOf = (statement: { Action: string | string[] }) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

async function settingsFileOf(text: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'keystop-settings-')), 'keystop.settings.yml');
  await writeFile(file, text);
  return file;
}

/** A lock across vitest's worker processes: a directory only one of them can create. Stale after five minutes. */
async function withPackagingLock<T>(work: () => Promise<T>): Promise<T> {
  const lock = join(process.cwd(), '.serverless-package.lock');
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (await stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > 300_000) await rm(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
