import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkParams, paramSettings } from '../../src/aws/checkParams';
import { SETTINGS_TABLE_END, SETTINGS_TABLE_START, settingsTable } from '../../src/aws/settingsTable';
import { readServiceParams } from '../../src/cli/settings/readServiceParams';

const root = join(import.meta.dirname, '..', '..');

describe('The settings schema, serverless.yml and docs/settings.md say the same', () => {
  it('documents every setting in the table generated from the schema (regenerate: npx tsx scripts/writeSettingsTable.ts)', () => {
    const docs = readFileSync(join(root, 'docs', 'settings.md'), 'utf8');
    const block = docs.slice(docs.indexOf(SETTINGS_TABLE_START) + SETTINGS_TABLE_START.length, docs.indexOf(SETTINGS_TABLE_END));

    expect(block.trim()).toBe(settingsTable());
  });

  it("declares exactly the schema's params in serverless.yml, each with the schema's default", async () => {
    const { default: defaults } = await readServiceParams(join(root, 'serverless.yml'));

    expect(Object.keys(defaults ?? {}).sort()).toEqual(
      paramSettings()
        .map((s) => s.param)
        .sort(),
    );
    for (const s of paramSettings()) expect(String(defaults![s.param]), s.param).toBe(s.default);
    expect(checkParams(defaults as Record<string, string>)).toEqual([]);
  });

  it('passes each param to the environment variable the schema reads it from', () => {
    const service = parse(readFileSync(join(root, 'serverless.yml'), 'utf8'), { logLevel: 'silent' }) as {
      provider: { environment: Record<string, unknown> };
      functions: Record<string, { environment?: Record<string, unknown> }>;
    };
    const environment = Object.entries({
      ...service.provider.environment,
      ...Object.assign({}, ...Object.values(service.functions).map((fn) => fn.environment ?? {})),
    });
    const fromParams = Object.fromEntries(
      environment.flatMap(([env, value]) => {
        const param = /^\$\{param:(\w+)\}$/.exec(String(value))?.[1];
        return param ? [[env, param]] : [];
      }),
    );

    expect(fromParams).toEqual(
      Object.fromEntries(
        paramSettings()
          .filter((s) => s.env)
          .map((s) => [s.env, s.param]),
      ),
    );
  });
});
