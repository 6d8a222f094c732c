#!/usr/bin/env node
// `npm run bench`: the benchmarks run from their TypeScript sources through tsx, like the CLI.
import { register } from 'tsx/esm/api';

// Lambda runs Keystop on nodejs24.x; the local Node 20 only hears the SDK's notice that it will need Node 22 in 2027.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!warning.message.includes('NodeVersionSupportWarning')) process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

register();
await import('../bench/main.ts');
