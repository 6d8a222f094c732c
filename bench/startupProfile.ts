import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a cold start's time goes, in ms averaged over the runs: inclusive per part, so parts overlap. */
export interface StartupBreakdown {
  runs: number;
  totalMs: number;
  parts: { part: string; ms: number }[];
}

/**
 * Profiles `node <bundle>` (V8's sampling profiler) and attributes each sample to the packages on its stack, through
 * the bundle's source map: which dependency's start-up the cold start pays for.
 */
export async function profileStartup(bundle: string, env: Record<string, string>, runs = 5): Promise<StartupBreakdown> {
  const map = new SourceMap(JSON.parse(await readFile(`${bundle}.map`, 'utf8')));
  const bundleUrl = pathToFileURL(bundle).href;
  const totals = new Map<string, number>();
  let total = 0;
  for (let run = 0; run < runs; run++) {
    const dir = await mkdtemp(join(tmpdir(), 'keystop-profile-'));
    const result = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100', bundle], {
      env,
      stdio: 'ignore',
    });
    if (result.status !== 0) throw new Error(`profiling ${bundle} failed (exit ${result.status})`);
    const [file] = await readdir(dir);
    const profile = JSON.parse(await readFile(join(dir, file!), 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
    const partOfNode = new Map<number, string>();
    const partOf = (node: ProfileNode): string => {
      const known = partOfNode.get(node.id);
      if (known) return known;
      const part = classify(node, bundleUrl, map);
      partOfNode.set(node.id, part);
      return part;
    };
    profile.samples.forEach((id, i) => {
      const ms = (profile.timeDeltas[i] ?? 0) / 1000;
      total += ms;
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const part = partOf(byId.get(at)!);
        if (!seen.has(part)) {
          seen.add(part);
          totals.set(part, (totals.get(part) ?? 0) + ms);
        }
      }
    });
  }
  const parts = [...totals]
    .filter(([part]) => part !== '(root)' && part !== 'Node.js internals')
    .map(([part, ms]) => ({ part, ms: ms / runs }))
    .sort((a, b) => b.ms - a.ms);
  return { runs, totalMs: total / runs, parts };
}

function classify(node: ProfileNode, bundleUrl: string, map: SourceMap): string {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(root)' || functionName === '(program)' || functionName === '(idle)') return '(root)';
  if (functionName === 'compileSourceTextModule') return 'compiling the bundle (V8 parse)';
  if (url === bundleUrl) {
    const source = (map.findEntry(lineNumber, columnNumber) as { originalSource?: string }).originalSource ?? '';
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)?.[1];
    if (pkg) return group(pkg);
    // The bundle's own top level (module evaluation) and esbuild's glue map to no source: they include the rest.
    return source.includes('/src/') ? 'Keystop (src/)' : 'evaluating the bundle (includes the packages below)';
  }
  return 'Node.js internals';
}

/** The SDK is many packages; one line for it reads better. */
function group(pkg: string): string {
  if (pkg.startsWith('@aws-sdk/') || pkg.startsWith('@smithy/') || pkg === '@aws/lambda-invoke-store') return 'AWS SDK (@aws-sdk, @smithy)';
  if (pkg.startsWith('@aws-lambda-powertools/')) return 'Powertools logger';
  return pkg;
}
