import { recordObservation } from '../../scripts/lib/observations.mjs';
import type { RELIABILITY_SUITES } from '../../scripts/docs/reliability.mjs';

export type ReliabilitySuite = (typeof RELIABILITY_SUITES)[number];

/** One row of docs/reliability.md: what a test expected and what the bundle really did. */
export function observe(suite: ReliabilitySuite, name: string, expected: string, seen: string): void {
  recordObservation('reliability', { suite, name, expected, seen });
}
