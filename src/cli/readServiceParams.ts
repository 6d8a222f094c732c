import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { UsageError } from './UsageError';

/** serverless.yml's `params:` section (CloudFormation tags elsewhere in the file are read as plain values). */
export async function readServiceParams(serviceFile: string): Promise<Record<string, Record<string, unknown> | null>> {
  let text: string;
  try {
    text = await readFile(serviceFile, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${serviceFile}: ${(error as Error).message}`);
  }
  const service = parse(text, { logLevel: 'error', customTags: cloudFormationTags }) as { params?: Record<string, Record<string, unknown> | null> };
  return service.params ?? {};
}

const cloudFormationTags = ['Ref', 'GetAtt', 'Sub', 'If', 'Not', 'Equals', 'Split', 'Join', 'Select', 'And', 'Or', 'FindInMap', 'ImportValue', 'Condition', 'Base64', 'GetAZs', 'Cidr']
  .flatMap((name) =>
    (['scalar', 'seq', 'map'] as const).map((kind) => ({
      tag: `!${name}`,
      collection: kind === 'scalar' ? undefined : kind,
      resolve: (value: unknown) => ({ [`Fn::${name}`]: value }),
    })),
  ) as never;
