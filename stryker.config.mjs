// @ts-check
/**
 * `npm run mutate`: mutants of src/ tested by the in-process tests (test/pure/), switched inside
 * one test process. The edges (writer, exec, signals, program lookup, the AWS edge) are reached
 * only through the bundle run as a process; stryker.edges.config.mjs covers them.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.pure.config.ts' },
  disableTypeChecks: 'src/**/*.ts',
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // The entrypoints only wire run() to the process; everything else is mutated, wherever it moves.
  mutate: ['src/**/*.ts', '!src/**/*.d.ts', '!src/main.ts', '!src/snapshot.ts'],
  coverageAnalysis: 'perTest',
  // Two cores, shared with other work.
  concurrency: 2,
  timeoutMS: 10_000,
  reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/pure.json' },
  htmlReporter: { fileName: 'reports/mutation/pure.html' },
  clearTextReporter: { allowEmojis: false, logTests: false, reportScoreTable: true, reportMutants: false },
  // Later runs test again only the mutants whose code or covering tests changed.
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
