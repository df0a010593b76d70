import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/nodes.mjs';

export const RELIABILITY_DIR = join(ROOT, '.tmp/reliability');

/** The suites whose rows make docs/reliability.md; the report is written only when all of them ran. */
export const RELIABILITY_SUITES = ['secret service faults', 'bad input', 'secret hygiene', 'files', 'signals and exit codes', 'load'] as const;
export type ReliabilitySuite = (typeof RELIABILITY_SUITES)[number];

/** One row of docs/reliability.md: what a test expected and what the bundle really did. */
export function observe(suite: ReliabilitySuite, name: string, expected: string, seen: string): void {
  mkdirSync(RELIABILITY_DIR, { recursive: true });
  appendFileSync(join(RELIABILITY_DIR, `${process.pid}.jsonl`), `${JSON.stringify({ suite, name, expected, seen })}\n`);
}
