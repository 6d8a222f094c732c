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
  // Imports for their effect only: a chunk of ours (esbuild's helpers for `export *`) is followed like the others.
  for (const [, specifier] of code.matchAll(/^import\s*"([^"]+)";/gm)) {
    const chunk = specifier!.startsWith('.') ? resolve(dirname(file), specifier!) : specifier!;
    if (!seen.has(chunk)) {
      seen.add(chunk);
      if (chunk !== specifier) startupImports(chunk, seen);
    }
  }
  return seen;
}

describe('The built CLI (dist/, made by the global setup as by npm ci)', () => {
  it('starts without the AWS SDK, zod or Powertools: only commander and Node until a command runs', () => {
    const loaded = [...startupImports(join(dist, 'main.mjs'))].filter((m) => !m.startsWith('/'));

    expect(loaded.filter((m) => !m.startsWith('node:'))).toEqual(['commander']);
  });
});
