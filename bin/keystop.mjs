#!/usr/bin/env node
// The CLI runs its TypeScript sources directly through tsx: no build step between a change and `npx keystop`.
import { register } from 'tsx/esm/api';

// Lambda runs Keystop on nodejs22.x; the local Node 20 only hears the SDK's notice that it will need Node 22 in 2027.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (!warning.message.includes('NodeVersionSupportWarning')) process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

register();
await import('../src/cli/main.ts');
