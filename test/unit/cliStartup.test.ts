import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const dist = join(import.meta.dirname, '..', '..', 'dist', 'cli');

/** Every module `node dist/cli/main.mjs` loads before running a command: its static imports, followed through chunks. */
function startupImports(file: string, seen = new Set<string>()): Set<string> {
  const code = readFileSync(file, 'utf8');
  for (const [, specifier] of code.matchAll(/^import\s[^;]*?from\s*"([^"]+)";/gm)) {
    if (specifier!.startsWith('.')) {
      const chunk = resolve(dirname(file), specifier!);
      if (!seen.has(chunk)) {
        seen.add(chunk);
        startupImports(chunk, seen);
      }
    } else {
      seen.add(specifier!);
    }
  }
  for (const [, specifier] of code.matchAll(/^import\s*"([^"]+)";/gm)) seen.add(specifier!);
  return seen;
}

describe('The built CLI (dist/, made by the global setup as by npm ci)', () => {
  it('starts without the AWS SDK, zod or Powertools: only commander and Node until a command runs', () => {
    const loaded = [...startupImports(join(dist, 'main.mjs'))].filter((m) => !m.startsWith('/'));

    expect(loaded.filter((m) => !m.startsWith('node:'))).toEqual(['commander']);
  });
});
