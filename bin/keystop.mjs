#!/usr/bin/env node
// The CLI as built into dist/ by `npm ci` (prepare), scripts/setup.sh or `npm run build`: no TypeScript is compiled
// at start.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Lambda runs Keystop on nodejs24.x; the local Node 20 only hears the SDK's notice that it will need Node 22 in 2027.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!warning.message.includes('NodeVersionSupportWarning')) process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

const main = new URL('../dist/cli/main.mjs', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write(
    `keystop: the CLI is not built; run \`npm run build\` (or bash scripts/setup.sh) in ${fileURLToPath(new URL('..', import.meta.url))}\n`,
  );
  process.exit(2);
}
await import(main.href);
