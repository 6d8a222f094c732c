import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The folder of Keystop's package.json, found from this module's location: the CLI runs from its TypeScript sources
 * (tests, tsx) and from its build in dist/, at different depths.
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'keystop') {
      root = dir;
      return root;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the keystop package folder');
    dir = parent;
  }
}
