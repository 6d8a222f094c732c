import { spawnSync } from 'node:child_process';
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
  /** Wall time, spawn to exit. */
  summary: Summary;
  /** CPU time of the process (user + system), from the kernel's accounting at its exit. */
  cpu: Summary;
}

/**
 * Starts the command, waits for it with wait4 and prints its wall time and the kernel's user and system time for it,
 * in seconds. Python, because Node's spawnSync does not return the child's resource usage; the wrapper's own start is
 * outside both figures. The command's environment comes as JSON, so that the wrapper's (Python sets LC_CTYPE under
 * the C locale) does not leak into it.
 */
const TIMER = `
import json, os, sys, time
env = json.loads(sys.argv[1])
actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0), (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)]
start = time.perf_counter()
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], env, file_actions=actions)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
print(json.dumps({"status": os.waitstatus_to_exitcode(status), "wall": wall, "cpu": usage.ru_utime + usage.ru_stime}))
`;

/**
 * Runs each command `runs` times, interleaved (A B C A B C …) so that load on a shared machine falls on all of them
 * alike, and times each run from spawn to exit.
 */
export function measureColdStarts(commands: ColdStartCommand[], runs: number, python: string): ColdStartResult[] {
  const samples = commands.map(() => ({ wall: [] as number[], cpu: [] as number[] }));
  for (const c of commands) once(c, python); // warm the file system cache; not counted
  for (let run = 0; run < runs; run++) {
    for (const [i, c] of commands.entries()) {
      const { wall, cpu } = once(c, python);
      samples[i]!.wall.push(wall);
      samples[i]!.cpu.push(cpu);
    }
  }
  return commands.map((c, i) => ({
    label: c.label,
    shown: [c.command, ...c.args].map((a) => (/[\s'"]/.test(a) ? `"${a}"` : a)).join(' '),
    summary: summarize(samples[i]!.wall),
    cpu: summarize(samples[i]!.cpu),
  }));
}

/** One run of the command through the timer: wall and CPU time in ms. */
function once({ command, args, env, label }: ColdStartCommand, python: string): { wall: number; cpu: number } {
  const result = spawnSync(python, ['-c', TIMER, JSON.stringify(env), command, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  const measured = result.status === 0 ? (JSON.parse(result.stdout) as { status: number; wall: number; cpu: number }) : undefined;
  if (measured?.status !== 0) {
    throw new Error(`${label} failed (exit ${measured?.status ?? result.status}): ${result.stderr || result.error}`);
  }
  return { wall: measured.wall * 1000, cpu: measured.cpu * 1000 };
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
