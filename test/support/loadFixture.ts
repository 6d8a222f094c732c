import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', 'fixtures');
const cache = new Map<string, string>();

/** A fixture event, freshly parsed on every call so no test can change another's. */
export function loadFixture<T = Record<string, any>>(name: string): T {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(root, name), 'utf8');
    cache.set(name, text);
  }
  return JSON.parse(text) as T;
}

export const fixturePath = (name: string) => join(root, name);
