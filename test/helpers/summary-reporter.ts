import type { Reporter, TestModule } from 'vitest/node';
import { missingFromDoc, RELIABILITY_SUITES } from '../../scripts/docs/reliability.mjs';
import { readObservations } from '../../scripts/lib/observations.mjs';

/** Tests check the generated docs; `npm run docs` sets this to write them instead. */
const WRITING_DOCS = process.env.PIPECD_BOOTSTRAP_DOCS === 'write';

/** After a run of every reliability suite, docs/reliability.md must list each case the run observed. */
function staleDocs(): string | undefined {
  const rows = readObservations<{ suite: string; name: string }>('reliability');
  if (WRITING_DOCS || !RELIABILITY_SUITES.every((s) => rows.some((r) => r.suite === s))) return undefined;
  const missing = missingFromDoc(rows);
  return missing.length === 0
    ? undefined
    : `docs/reliability.md does not list ${missing.length} observed cases (first: "${missing[0]}"): run npm run docs`;
}

/**
 * Ends the run with the plain `N passed, N failed, N skipped` line that CI reads in any language; a
 * stale docs/reliability.md counts as one failure (a global teardown's error would not fail the run).
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else counts.skipped++;
      }
    }
    const stale = staleDocs();
    if (stale) {
      process.stdout.write(`\nFAIL ${stale}\n`);
      counts.failed++;
      process.exitCode = 1;
    }
    process.stdout.write(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
