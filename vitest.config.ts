import { defineConfig } from 'vitest/config';

const emulator = ['test/support/globalSetup.ts'];

export default defineConfig({
  test: {
    setupFiles: ['test/support/quietNodeVersionWarning.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The suite runs on the defaults whatever the developer's own keystop.settings.yml says: osls and the CLI read
    // $KEYSTOP_SETTINGS_FILE before it, and this one does not exist (a test that wants settings writes its own file).
    env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_DEV: 'false', KEYSTOP_SETTINGS_FILE: '/nonexistent/keystop.settings.yml' },
    // `npm run test:unit` runs in seconds on a machine without Python; the others start a local AWS emulator (moto
    // server) each, shared by their files, which isolate themselves by unique names.
    projects: [
      // Unit tests are pure (no module mocks, no environment changes), so their files share workers and modules:
      // each file no longer loads zod, the schemas and the SDK types afresh (33 s -> 14 s on a loaded 2-core machine).
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], globalSetup: ['test/support/buildCli.ts'], isolate: false },
      },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], globalSetup: emulator } },
      { extends: true, test: { name: 'packaging', include: ['test/packaging/**/*.test.ts'], globalSetup: emulator } },
    ],
  },
});
