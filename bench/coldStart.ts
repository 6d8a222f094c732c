import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { type Summary, summarize } from './stats';

/** A command whose whole run (process start to exit) is one cold start. */
export interface ColdStartCommand {
  label: string;
  command: string;
  args: string[];
  env: Record<string, string>;
}

export interface ColdStartResult {
  label: string;
  /** What was run, for RESULTS.md. */
  shown: string;
  summary: Summary;
}

/**
 * Runs each command `runs` times, interleaved (A B C A B C …) so that load on a shared machine falls on all of them
 * alike, and times each run from spawn to exit.
 */
export function measureColdStarts(commands: ColdStartCommand[], runs: number): ColdStartResult[] {
  const samples = commands.map(() => [] as number[]);
  for (const c of commands) once(c); // warm the file system cache; not counted
  for (let run = 0; run < runs; run++) {
    for (const [i, c] of commands.entries()) samples[i]!.push(once(c));
  }
  return commands.map((c, i) => ({
    label: c.label,
    shown: [c.command, ...c.args].map((a) => (/[\s'"]/.test(a) ? `"${a}"` : a)).join(' '),
    summary: summarize(samples[i]!),
  }));
}

function once({ command, args, env, label }: ColdStartCommand): number {
  const start = performance.now();
  const result = spawnSync(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const elapsed = performance.now() - start;
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status}): ${result.stderr || result.error}`);
  return elapsed;
}

/** The Python that `python3` really runs (not a version manager's shim, whose own start-up would be counted). */
export function realPython(
  python = process.env.KEYSTOP_PYTHON ?? 'python3',
): { executable: string; version: string; boto3: string } | undefined {
  const probe = spawnSync(
    python,
    ['-c', 'import sys, boto3; print(sys.executable); print(sys.version.split()[0]); print(boto3.__version__)'],
    {
      encoding: 'utf8',
    },
  );
  if (probe.status !== 0) return undefined;
  const [executable, version, boto3] = probe.stdout.trim().split('\n');
  return { executable: executable!, version: version!, boto3: boto3! };
}
