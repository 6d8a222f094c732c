import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { UsageError } from '../UsageError';

/** serverless.yml's `params:` section (CloudFormation tags elsewhere in the file are read as plain values). */
export async function readServiceParams(serviceFile: string): Promise<Record<string, Record<string, unknown> | null>> {
  return (await readService(serviceFile)).params ?? {};
}

interface Service {
  params?: Record<string, Record<string, unknown> | null>;
  functions?: Record<string, { role?: unknown } | null>;
  resources?: { Resources?: Record<string, unknown> };
}

/** serverless.yml as `keystop config check` needs it: params, functions and resources (variables left unresolved). */
export async function readService(serviceFile: string): Promise<Service> {
  let text: string;
  try {
    text = await readFile(serviceFile, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${serviceFile}: ${(error as Error).message}`);
  }
  return parse(text, { logLevel: 'error', customTags: cloudFormationTags }) as Service;
}

const cloudFormationTags = [
  'Ref',
  'GetAtt',
  'Sub',
  'If',
  'Not',
  'Equals',
  'Split',
  'Join',
  'Select',
  'And',
  'Or',
  'FindInMap',
  'ImportValue',
  'Condition',
  'Base64',
  'GetAZs',
  'Cidr',
].flatMap((name) =>
  (['scalar', 'seq', 'map'] as const).map((kind) => ({
    tag: `!${name}`,
    collection: kind === 'scalar' ? undefined : kind,
    resolve: (value: unknown) => ({ [`Fn::${name}`]: value }),
  })),
) as never;
