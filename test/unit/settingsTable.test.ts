import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkParams, paramSettings } from '../../src/aws/checkParams';
import { settingsExample } from '../../src/aws/settingsExample';
import { readSettingsFile, stageSettingsOf } from '../../src/aws/settingsFile';
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

describe('keystop.settings.example.yml documents every setting, generated from the schema', () => {
  it('is the file the schema generates (regenerate: npx tsx scripts/writeSettingsExample.ts)', () => {
    expect(readFileSync(join(root, 'keystop.settings.example.yml'), 'utf8')).toBe(settingsExample());
  });

  it('uncommented, it is every param at its default, and the package-time check accepts it', async () => {
    // What an operator does: uncomment a setting's line (its description stays a comment).
    const names = paramSettings().map((s) => s.param);
    const uncommented = settingsExample().replace(new RegExp(`^ {2}# ((?:${names.join('|')}): .*)$`, 'gm'), '  $1');
    const file = join(await mkdtemp(join(tmpdir(), 'keystop-example-')), 'keystop.settings.yml');
    await writeFile(file, uncommented);

    const prod = stageSettingsOf(readSettingsFile(file), 'prod');

    expect(Object.keys(prod).sort()).toEqual(
      paramSettings()
        .map((s) => s.param)
        .sort(),
    );
    for (const s of paramSettings()) expect(String(prod[s.param]), s.param).toBe(s.default);
    expect(checkParams(prod)).toEqual([]);
  });
});

describe('Reading keystop.settings.yml', () => {
  const write = async (text: string) => {
    const file = join(await mkdtemp(join(tmpdir(), 'keystop-settings-')), 'keystop.settings.yml');
    await writeFile(file, text);
    return file;
  };

  it('a missing file is no settings: every stage takes the defaults', () => {
    const file = readSettingsFile(join(tmpdir(), 'no-such-dir-keystop', 'keystop.settings.yml'));

    expect([file.found, stageSettingsOf(file, 'prod')]).toEqual([false, {}]);
  });

  it("a stage's own settings override its default: block; an empty stage or a null setting takes the default", async () => {
    const file = readSettingsFile(
      await write('default:\n  dryRun: true\n  breakerLimit: 5\nprod:\n  dryRun: false\n  honeyKeys: ~\nstaging:\n'),
    );

    expect(stageSettingsOf(file, 'prod')).toEqual({ dryRun: false, breakerLimit: 5 });
    expect(stageSettingsOf(file, 'staging')).toEqual({ dryRun: true, breakerLimit: 5 });
  });

  it('refuses a file that is not stages of plain settings, naming the file', async () => {
    const list = await write('prod:\n  - dryRun\n');
    const nested = await write('prod:\n  dryRun: { value: true }\n');
    const broken = await write('prod: [\n');

    expect(() => readSettingsFile(list)).toThrow(list);
    expect(() => readSettingsFile(nested)).toThrow(/at prod\.dryRun/);
    expect(() => readSettingsFile(broken)).toThrow(/is not YAML/);
  });
});
