import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** Every cycle of runtime imports between files under src/ (type-only imports are erased, as in the bundles). */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

describe('Dependencies point one way', () => {
  it('the cycle finder finds a cycle, and only a cycle', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []],
    ]);
    expect(cyclesOf(graph)).toEqual([['a', 'b', 'c', 'a']]);
    expect(
      cyclesOf(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('no file under src/ imports, directly or through others, a file that imports it back', async () => {
    const graph = await importGraph();

    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('src/respond/incident/decide.ts')).toContain('src/decide/nextResponse.ts');
    expect(cyclesOf(graph).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });

  it('actions never import the decision layer: both read the action catalog, which imports neither', async () => {
    const edges = edgesOf(await importGraph());

    expect(edges).toContain('src/decide/planResponse.ts -> src/actions/actionCatalog.ts');
    expect(edges.filter((edge) => /^src\/actions\/.* -> src\/decide\//.test(edge))).toEqual([]);
  });

  it('one incident document: alerts (notify) and the audit event and finding note (audit) read it; neither reads the other', async () => {
    const edges = edgesOf(await importGraph());

    expect(edges).toContain('src/report/notify/formatAlert.ts -> src/report/document/alertDocumentOf.ts');
    expect(edges).toContain('src/report/audit/auditDetailOf.ts -> src/report/document/alertDocumentOf.ts');
    expect(edges.filter((edge) => /^src\/report\/(audit|document)\/.* -> src\/report\/notify\//.test(edge))).toEqual([]);
    expect(edges.filter((edge) => /^src\/report\/document\/.* -> src\/report\/(audit|notify)\//.test(edge))).toEqual([]);
  });

  it('the decision layer (policy schema, planner, transitions, record) loads without the AWS SDK', async () => {
    const metafile = await metafileOf(sourceFiles(join(root, 'src', 'decide')));
    const packages = Object.values(metafile.outputs).flatMap((output) => output.imports.filter((i) => i.external).map((i) => i.path));

    // zod's mini API only (src/zod.ts): the classic one would be in every function's cold start.
    expect(packages).toContain('zod/mini');
    expect(packages.filter((name) => name === 'zod' || name.startsWith('zod/v4/classic'))).toEqual([]);
    expect(packages.filter((name) => name.startsWith('@aws-sdk/') || name.startsWith('@smithy/'))).toEqual([]);
  });
});

let built: Promise<Map<string, string[]>> | undefined;
/** The graph's edges as "from -> to" lines. */
const edgesOf = (graph: Map<string, string[]>) => [...graph].flatMap(([file, imports]) => imports.map((to) => `${file} -> ${to}`));

function importGraph(): Promise<Map<string, string[]>> {
  built ??= buildImportGraph();
  return built;
}

/** esbuild's metafile for these entry points, packages left out (nothing written). */
async function metafileOf(entryPoints: string[]) {
  const { metafile } = await build({
    entryPoints,
    absWorkingDir: root,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    outdir: 'out',
    logLevel: 'silent',
  });
  return metafile;
}

/** The bundler's own view: every source file as an entry point, packages left out, its metafile's import graph. */
async function buildImportGraph(): Promise<Map<string, string[]>> {
  const metafile = await metafileOf(sourceFiles(join(root, 'src')));
  const graph = new Map<string, string[]>();
  for (const [file, input] of Object.entries(metafile.inputs)) {
    if (!file.startsWith('src/')) continue;
    graph.set(
      file,
      input.imports.map((i) => relative(root, join(root, i.path))).filter((path) => path.startsWith('src/')),
    );
  }
  return graph;
}
