import { defineConfig } from 'vitest/config';

const emulator = ['test/support/globalSetup.ts'];

export default defineConfig({
  test: {
    setupFiles: ['test/support/quietNodeVersionWarning.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_DEV: 'false' },
    // `npm run test:unit` runs in seconds on a machine without Python; the others start a local AWS emulator (moto
    // server) each, shared by their files, which isolate themselves by unique names.
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], globalSetup: ['test/support/buildCli.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], globalSetup: emulator } },
      { extends: true, test: { name: 'packaging', include: ['test/packaging/**/*.test.ts'], globalSetup: emulator } },
    ],
  },
});
