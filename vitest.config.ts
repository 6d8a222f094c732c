import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // One local AWS emulator (moto server) for the whole run; tests isolate themselves by unique names.
    globalSetup: ['test/support/globalSetup.ts'],
    setupFiles: ['test/support/quietNodeVersionWarning.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_DEV: 'false' },
  },
});
