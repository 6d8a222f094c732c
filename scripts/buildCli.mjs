// Builds the `keystop` CLI into dist/ (npm's prepare script runs it, and so do scripts/setup.sh and the tests'
// global setup): the command then starts without compiling TypeScript. Dependencies stay in node_modules; each
// command's implementation is its own chunk, loaded only when that command runs.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const outdir = join(root, 'dist', 'cli');
await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'src', 'cli', 'main.ts')],
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  sourcesContent: false,
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
