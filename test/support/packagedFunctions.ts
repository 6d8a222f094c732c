import { mkdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { CfnTemplate } from './packageTemplate';
import { type ZipEntry, zipEntries } from './zipEntries';

/** One Lambda function as `osls package` built it: its zip, the bundle Lambda loads, and its environment. */
export interface PackagedFunction {
  /** The function's key in serverless.yml (its zip's name), e.g. `guardduty`. */
  name: string;
  zipPath: string;
  /** Bytes of the zip as shipped (bundle and its source map). */
  zipSize: number;
  /** Every file in the zip. */
  files: ZipEntry[];
  /** The minified bundle Lambda imports (the handler's module). */
  bundle: ZipEntry;
  /** The handler's export in that bundle, e.g. `handler`. */
  exportName: string;
  /** Environment variables as the template sets them; CloudFormation references are left as they are. */
  environment: Record<string, unknown>;
}

/** Every function of a packaged template, read from the zips in the package folder. */
export async function packagedFunctions(template: CfnTemplate, dir: string): Promise<PackagedFunction[]> {
  const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
  return Promise.all(
    functions.map(async ({ Properties: p }) => {
      const zipName = basename(p.Code.S3Key as string);
      const zipPath = join(dir, zipName);
      // Handler `src/handlers/guardduty.handler` → module src/handlers/guardduty.mjs, export `handler`.
      const handler = p.Handler as string;
      const dot = handler.lastIndexOf('.');
      const moduleName = `${handler.slice(0, dot)}.mjs`;
      const entries = await zipEntries(zipPath);
      const bundle = entries.find((e) => e.name === moduleName);
      if (!bundle) throw new Error(`${zipName} holds no ${moduleName} (it holds ${entries.map((e) => e.name).join(', ')})`);
      const { size: zipSize } = await stat(zipPath);
      return {
        name: zipName.replace(/\.zip$/, ''),
        zipPath,
        zipSize,
        files: entries,
        bundle,
        exportName: handler.slice(dot + 1),
        environment: (p.Environment?.Variables ?? {}) as Record<string, unknown>,
      };
    }),
  );
}

/** Writes a function's files under `dir` as Lambda unpacks them; returns the path of the handler's module. */
export async function unpack(fn: PackagedFunction, dir: string): Promise<string> {
  for (const file of fn.files) {
    await mkdir(dirname(join(dir, file.name)), { recursive: true });
    await writeFile(join(dir, file.name), file.content);
  }
  return join(dir, fn.bundle.name);
}

/**
 * The environment Lambda would give the function: the template's variables, each `Ref` to an SNS topic standing in
 * as a topic ARN in a made-up account (to a DynamoDB table, its name; to a role, a generated name; joins joined), plus what the Lambda runtime itself sets (region, function name, credentials).
 */
export function lambdaEnvironment(template: CfnTemplate, fn: PackagedFunction, region = 'us-east-1'): Record<string, string> {
  const resolve = (name: string, value: unknown): string => {
    if (typeof value === 'string') return value;
    const ref = (value as { Ref?: string }).Ref;
    if (ref && template.Resources[ref]?.Type === 'AWS::SNS::Topic') return `arn:aws:sns:${region}:123456789012:${ref}`;
    if (ref === 'AWS::AccountId') return '123456789012';
    if (ref && template.Resources[ref]?.Type === 'AWS::DynamoDB::Table') return String(template.Resources[ref].Properties.TableName);
    // A role's name, as CloudFormation generates it (<stack>-<logical id>-<suffix>).
    if (ref && template.Resources[ref]?.Type === 'AWS::IAM::Role') return `keystop-prod-${ref}-EXAMPLE0001`;
    const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join) return join[1].map((part) => resolve(name, part)).join(join[0]);
    throw new Error(`cannot stand in for ${name}=${JSON.stringify(value)} outside CloudFormation`);
  };
  return {
    ...Object.fromEntries(Object.entries(fn.environment).map(([name, value]) => [name, resolve(name, value)])),
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_LAMBDA_FUNCTION_NAME: `keystop-${fn.name}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEEXAMPLE00',
    AWS_SECRET_ACCESS_KEY: 'example',
    AWS_SESSION_TOKEN: 'example',
  };
}
