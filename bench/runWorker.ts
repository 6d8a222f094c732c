import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerResult } from './worker';

const workerPath = fileURLToPath(new URL('./worker.ts', import.meta.url));

/**
 * Runs a scenario in a fresh Node process with exactly `env` (the function's Lambda environment), its stdout (the
 * responder's JSON log lines) discarded as CloudWatch would take it away, and resolves with its result.
 */
export function runWorker(env: Record<string, string>, ...args: (string | number)[]): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const child = fork(workerPath, args.map(String), {
      execArgv: ['--import', 'tsx'],
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    let result: WorkerResult | undefined;
    child.on('message', (message) => {
      result = message as WorkerResult;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (result && code === 0) resolve(result);
      else reject(new Error(`bench scenario ${args.join(' ')} failed (exit ${code}): ${stderr.trim()}`));
    });
  });
}
