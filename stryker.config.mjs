// @ts-check
/**
 * A run narrowed with `--mutate FILES` writes a report of its own, named by its start time, which
 * scripts/mutation-report.mjs lays over the full run's (reports/mutation/pure.json) file by file.
 */
const narrowed = process.argv.some((arg) => arg === '--mutate' || arg === '-m' || arg.startsWith('--mutate='));
const REPORT = narrowed ? `reports/mutation/pure-${new Date().toISOString().replace(/[:.]/g, '-')}` : 'reports/mutation/pure';

// The property tests draw a fifth of their sample under a mutation run (test/helpers/sample-size.ts says why);
// the test runners Stryker starts inherit this.
process.env.PIPECD_BOOTSTRAP_MUTATION = '1';

/**
 * `npm run mutate`: mutants of src/ tested by the in-process tests (test/pure/, test/in-process/),
 * switched inside one test process. What only a process can show (execve, signals from the kernel)
 * is left to the process tests; stryker.edges.config.mjs runs them against the mutants left alive.
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
  jsonReporter: { fileName: `${REPORT}.json` },
  htmlReporter: { fileName: `${REPORT}.html` },
  clearTextReporter: { allowEmojis: false, logTests: false, reportScoreTable: true, reportMutants: false },
  // Later runs test again only the mutants whose code or covering tests changed.
  incremental: !narrowed,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
