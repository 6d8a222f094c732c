import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionCatalog } from '../../src/actions/actionCatalog';

// The Actions table moved with the rest of the reference from the README to docs/how-it-works.md.
const readme = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'how-it-works.md'), 'utf8');

/** The rows of the Actions table (docs/how-it-works.md): action type -> the IAM permissions its last column lists. */
function documentedActions(): Map<string, string[]> {
  const lines = readme.slice(readme.indexOf('### Actions')).split('\n');
  const table = lines.slice(lines.findIndex((line) => line.startsWith('| Action |')));
  const rows = table.slice(
    2,
    table.findIndex((line) => !line.startsWith('|')),
  );
  return new Map(
    rows.map((row) => {
      const cells = row.split(' | ');
      return [cells[0]!.replace(/^\| `|`$/g, ''), [...cells.at(-1)!.matchAll(/`(iam:[A-Za-z]+)`/g)].map((m) => m[1]!)];
    }),
  );
}

describe('The action catalog', () => {
  it("is what the docs' Actions table lists, with each action's IAM permissions", () => {
    const documented = documentedActions();

    expect([...documented.keys()].sort()).toEqual(Object.keys(actionCatalog).sort());
    for (const [type, entry] of Object.entries(actionCatalog))
      expect(documented.get(type)!.sort(), type).toEqual([...entry.permissions].sort());
  });
});
