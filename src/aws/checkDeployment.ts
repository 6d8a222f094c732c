import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidPolicySetError, parsePolicySet } from '../decide/parsePolicySet';
import type { ResponsePolicy } from '../decide/ResponsePolicy';
import { checkParams, normalizedListParams } from './checkParams';
import { DeployParams } from './DeployParams';
import { resolveParams } from './resolveParams';
import { missingPermissions } from './rolePermissions';

export interface DeploymentInput {
  /** serverless.yml's `params:` section. */
  configParams: Record<string, Record<string, unknown> | null | undefined> | undefined;
  stage: string;
  /** `--param key=value` as given to osls. */
  cliParams?: readonly string[];
  /** The folder of serverless.yml: policiesFile is relative to it. */
  serviceDir: string;
  /** serverless.yml's functions and resources, to check that each role grants what the policies need. */
  service?: Parameters<typeof missingPermissions>[1];
}

export interface DeploymentCheck {
  /** One line per problem; empty when the deployment may go ahead. */
  problems: string[];
  /** The policy file the functions will bundle, and its validated policies (absent when it does not validate). */
  policiesFile: string;
  policies?: ResponsePolicy[];
  /** List params whose deployed value differs from what was written (blanks around items removed). */
  normalized: Record<string, string>;
}

/**
 * Everything `osls package`/`deploy` checks before building (deploy/keystopSettings.mjs) and `keystop config check`
 * reports: the params against the settings schema, and the policy file against the policy schema.
 */
export async function checkDeployment({
  configParams,
  stage,
  cliParams = [],
  serviceDir,
  service,
}: DeploymentInput): Promise<DeploymentCheck> {
  const params = resolveParams(configParams, stage, cliParams);
  const problems = checkParams(params);
  const file = DeployParams.shape.policiesFile.safeParse(params.policiesFile === undefined ? undefined : String(params.policiesFile));
  const policiesFile = resolve(serviceDir, file.success ? file.data : String(params.policiesFile));
  let policies: ResponsePolicy[] | undefined;
  if (file.success) {
    try {
      policies = parsePolicySet(JSON.parse(await readFile(policiesFile, 'utf8')), policiesFile);
    } catch (error) {
      problems.push(
        ...(error instanceof InvalidPolicySetError
          ? error.problems.map((p) => `param policiesFile: ${p}`)
          : [`param policiesFile: cannot read ${policiesFile}: ${(error as Error).message}`]),
      );
    }
  }
  if (policies && service) problems.push(...missingPermissions(policies, service));
  return { problems, policiesFile, ...(policies ? { policies } : {}), normalized: normalizedListParams(params) };
}
