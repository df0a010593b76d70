// docs/reliability.md from the rows the fault, bad-input, hygiene, files, signal and load suites observed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readObservations, writeDoc } from '../lib/observations.mjs';
import { ROOT } from '../lib/paths.mjs';

export const RELIABILITY_SUITES = ['secret service faults', 'bad input', 'secret hygiene', 'files', 'signals and exit codes', 'load'];
export const RELIABILITY_DOC = 'docs/reliability.md';

/** Table cells, with each test's temporary directory shown as $SANDBOX so that runs compare. */
const cell = (text) =>
  text
    .replace(/\/tmp\/pipecd-bootstrap-test-[A-Za-z0-9]+/g, '$SANDBOX')
    .replaceAll('|', '\\|')
    .replaceAll('\n', ' ');

/** The case names a run observed that the committed document does not list: empty when it is current. */
export function missingFromDoc(rows = readObservations('reliability')) {
  const doc = readFileSync(join(ROOT, RELIABILITY_DOC), 'utf8');
  return rows.map((r) => r.name).filter((name) => !doc.includes(`| ${cell(name)} |`));
}

/** The hand-written part of the document (above the generated tables) is kept as it is. */
const GENERATED = '<!-- generated: everything below is written by `npm run docs` -->\n';

export default function generate() {
  const rows = readObservations('reliability');
  const missing = RELIABILITY_SUITES.filter((s) => !rows.some((r) => r.suite === s));
  if (missing.length > 0) throw new Error(`no observations of ${missing.join(', ')}: run the whole test suite first`);
  const sections = RELIABILITY_SUITES.map((suite) => {
    const own = rows.filter((r) => r.suite === suite).sort((a, b) => a.name.localeCompare(b.name));
    const table = own.map((r) => `| ${cell(r.name)} | ${cell(r.expected)} | ${cell(r.seen)} |`).join('\n');
    return `## ${suite}\n\n| case | expected | seen |\n|---|---|---|\n${table}\n`;
  });
  const current = readFileSync(join(ROOT, RELIABILITY_DOC), 'utf8');
  const kept = current.includes(GENERATED) ? current.slice(0, current.indexOf(GENERATED)) : '# Reliability results\n\n';
  const intro = `What each test expected and what the bundle, run as a process against moto_server and the fault proxy, really did; ${rows.length} rows.\n\n`;
  writeDoc(RELIABILITY_DOC, kept + GENERATED + intro + sections.join('\n'));
  return RELIABILITY_DOC;
}
