import { GetFunctionConfigurationCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { Config } from '../../aws/Config';
import { paramSettings } from '../../aws/checkParams';
import type { ClientOptions } from '../../aws/createClients';
import { type Guardrails, parseExemptTag } from '../../decide/Guardrails';
import type { AwsOptions } from '../options/awsOptions';
import { UsageError } from '../UsageError';
import { resolveAws } from './resolveAws';

/** The settings whose difference would make a command act where the deployment would not (or the reverse). */
type Compared = Pick<Guardrails, 'dryRun' | 'exemptPrincipals' | 'exemptTag'>;

const shown = {
  dryRun: (g: Compared) => String(g.dryRun),
  exemptPrincipals: (g: Compared) => JSON.stringify([...g.exemptPrincipals].sort().join(',')),
  exemptTag: (g: Compared) => JSON.stringify(g.exemptTag ? `${g.exemptTag.key}=${g.exemptTag.value}` : ''),
};

/** Pure: each compared setting that differs, as "<param>: deployed X, here Y". */
export function settingDifferences(deployed: Compared, here: Compared): string[] {
  return (Object.keys(shown) as (keyof typeof shown)[]).flatMap((name) =>
    shown[name](deployed) === shown[name](here) ? [] : [`${name}: deployed ${shown[name](deployed)}, here ${shown[name](here)}`],
  );
}

/** The environment a deployed stage's functions run with (its GuardDuty function's), read with the operator's credentials. */
export async function readDeployedEnvironment(aws: ClientOptions, stage: string): Promise<Record<string, string>> {
  const functionName = `keystop-${stage}-guardduty`;
  try {
    const configuration = await new LambdaClient(aws).send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    return configuration.Environment?.Variables ?? {};
  } catch (error) {
    if (error instanceof ResourceNotFoundException) {
      throw new UsageError(
        `stage ${stage} is not deployed here: no function ${functionName} in ${aws.region} (check --stage, --region and your credentials' account; without --stage the command acts with its flags alone)`,
      );
    }
    throw error;
  }
}

/** What a deployed stage's functions run with, of the settings a command's decision depends on. */
async function readDeployed(aws: ClientOptions, stage: string): Promise<Compared> {
  const variables = await readDeployedEnvironment(aws, stage);
  const read = <K extends 'KEYSTOP_DRY_RUN' | 'KEYSTOP_EXEMPT_PRINCIPALS' | 'KEYSTOP_EXEMPT_TAG'>(name: K) => {
    const result = Config.shape[name].safeParse(variables[name]);
    if (!result.success)
      throw new Error(`keystop-${stage}-guardduty runs with a ${name} Keystop cannot read: ${result.error.issues[0]?.message}`);
    return result.data as Config[K];
  };
  return {
    dryRun: read('KEYSTOP_DRY_RUN'),
    exemptPrincipals: read('KEYSTOP_EXEMPT_PRINCIPALS'),
    exemptTag: parseExemptTag(read('KEYSTOP_EXEMPT_TAG')),
  };
}

/**
 * Pure: every setting of a stage (keystop.settings.yml's values as environment variables, the defaults for the
 * others) that its deployed function runs with otherwise, as "<param>: deployed X, here Y". Compared as the function
 * reads them (lists in any order); only the variables the deployed function has, so an older deployment is not
 * blamed for a setting it predates.
 */
export function stackDifferences(deployed: Record<string, string>, stage: Record<string, string>): string[] {
  const read = (env: keyof typeof Config.shape, value: string | undefined) => {
    const result = Config.shape[env].safeParse(value);
    if (!result.success) return JSON.stringify(value);
    const data = result.data as unknown;
    return JSON.stringify(Array.isArray(data) ? [...data].sort().join(',') : data);
  };
  return paramSettings().flatMap(({ param, env }) => {
    if (env === undefined || !(env in deployed)) return [];
    const name = env as keyof typeof Config.shape;
    const [there, here] = [read(name, deployed[env]), read(name, stage[env])];
    return there === here ? [] : [`${param}: deployed ${there}, here ${here}`];
  });
}

/**
 * Before a command acts for a stage (--stage), reads what the deployed functions run with (Lambda's configuration,
 * with the operator's credentials) and refuses (exit 2, nothing done) when dry-run or the exemptions differ: a
 * settings file edited but not deployed, or flags that say otherwise, must not contain what the deployment spares.
 */
async function compareDeployed(aws: ClientOptions, stage: string, here: Compared): Promise<void> {
  const functionName = `keystop-${stage}-guardduty`;
  const deployed = await readDeployed(aws, stage);
  const differences = settingDifferences(deployed, here);
  if (differences.length > 0) {
    throw new UsageError(
      `refusing to act for stage ${stage}: its deployed functions (${functionName}) run with other settings:\n  ${differences.join('\n  ')}\n` +
        `deploy the settings (osls deploy --stage ${stage}) or make the flags, environment and keystop.settings.yml agree`,
    );
  }
}

/** For a command that acts: compares with the deployment when it answers for a stage (--stage), else nothing to compare. */
export async function compareWithDeployment(options: AwsOptions, settings: { stage?: string; guardrails: Compared }): Promise<void> {
  if (settings.stage !== undefined) await compareDeployed(await resolveAws(options), settings.stage, settings.guardrails);
}
