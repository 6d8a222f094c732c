/**
 * Mutation testing of the decision core (`npm run mutate`; bench/MUTATION.md has the last run's scores). Only the unit
 * tests run against the mutants (vitest.mutate.config.ts): the decision code is pure and its unit tests take seconds.
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: true },
  // The decision core (issue 27): every module whose mistake is a wrong decision — the planner and policies, the state
  // transitions and record, exemptions and protection, failure classification and the record key, and the actions
  // (tested through an in-memory IAM, test/support/fakeIam.ts), and every file of src/sources/: the schemas at the edge
  // (what is refused, and the reason given) and the adapters. Scores per module: bench/MUTATION.md.
  mutate: ['src/decide/**/*.ts', 'src/actions/**/*.ts', 'src/domain/errors.ts', 'src/domain/identifiers.ts', 'src/sources/*.ts'],
  // typescript 7 (the native compiler) has no compiler API: Stryker must not read tsconfig.json with it (nothing in it
  // needs rewriting for a sandbox), and the typescript-checker cannot run. Vitest does not type-check, so a mutant
  // that does not compile is run like any other; `npx tsc --noEmit` keeps the sources themselves typed.
  tsconfigFile: 'no-tsconfig-for-stryker.json',
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation.json' },
  concurrency: 2,
  timeoutMS: 10_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
