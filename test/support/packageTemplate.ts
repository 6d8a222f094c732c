import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties: Record<string, any> }>;
}

/** Runs `osls package` (offline, no AWS credentials) into a fresh folder and returns the CloudFormation it wrote. */
export async function packageTemplate(...args: string[]): Promise<{ template: CfnTemplate; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'keystop-package-'));
  await promisify(execFile)('npx', ['osls', 'package', '--package', dir, ...args], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', SLS_TELEMETRY_DISABLED: '1' },
    timeout: 120_000,
  });
  const template = JSON.parse(await readFile(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as CfnTemplate;
  return { template, dir };
}

export function resourcesOfType(template: CfnTemplate, type: string) {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

/** Every statement of every inline policy of a role. */
export function statementsOf(template: CfnTemplate, roleId: string): { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown }[] {
  const role = template.Resources[roleId];
  if (!role) throw new Error(`no resource ${roleId} in the template`);
  return (role.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement);
}

export const actionsOf = (statement: { Action: string | string[] }) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];
