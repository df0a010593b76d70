// @ts-check
import { existsSync, readFileSync } from 'node:fs';

/**
 * `npm run mutate:edges`, before a release: the mutants that the in-process tests of `npm run
 * mutate` do not kill (no coverage, or survived), tested by the process tests, with the bundle
 * rebuilt for each mutant. Much slower (see docs/mutation.md for the measured time per mutant).
 * Without a report of the main run, every mutant of src/ is tested this way.
 */
const PURE_REPORT = 'reports/mutation/pure.json';

/** Stryker's mutation ranges (`file:line:column-line:column`) of the mutants the main run left alive. */
function leftAlive() {
  if (!existsSync(PURE_REPORT)) return undefined;
  const report = JSON.parse(readFileSync(PURE_REPORT, 'utf8'));
  return Object.entries(report.files).flatMap(([file, { mutants }]) =>
    mutants
      .filter((m) => m.status === 'NoCoverage' || m.status === 'Survived')
      .map(({ location: { start, end } }) => `${file}:${start.line}:${start.column}-${end.line}:${end.column}`),
  );
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'command',
  commandRunner: { command: 'node scripts/build.mjs && npx vitest run --config vitest.edges.config.ts' },
  // Only the mutated files get `// @ts-nocheck`: prepended to test/stand-in/stand-in.mjs, it would push its #! line down.
  disableTypeChecks: 'src/**/*.ts',
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: leftAlive() ?? ['src/**/*.ts', '!src/**/*.d.ts', '!src/main.ts', '!src/snapshot.ts'],
  // One bundle and one moto_server at a time: the process tests already use both cores.
  concurrency: 1,
  timeoutMS: 120_000,
  dryRunTimeoutMinutes: 20,
  reporters: ['clear-text', 'progress-append-only', 'json'],
  jsonReporter: { fileName: 'reports/mutation/edges.json' },
  clearTextReporter: { allowEmojis: false, logTests: false, reportScoreTable: true, reportMutants: false },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
