import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs against each mutant (`npm run mutate`): the unit tests only. The emulator tests take minutes
 * per run, and Stryker runs the tests covering a mutant once per mutant; the CLI start-up test needs a fresh build.
 */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    exclude: ['test/unit/cliStartup.test.ts'],
    setupFiles: ['test/support/quietNodeVersionWarning.ts'],
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_DEV: 'false' },
    isolate: false,
  },
});
