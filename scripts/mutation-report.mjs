// docs/mutation.md from Stryker's JSON reports: `npm run mutate` (in-process tests, reports/mutation/
// pure.json) and, when it has been run, `npm run mutate:edges` (process tests with the bundle rebuilt
// per mutant, reports/mutation/edges.json). A mutant counts as detected when either run detected it.
// Survivors known to be equivalent (scripts/lib/mutation-equivalents.mjs) are listed with the reason
// and scored both ways. Run by `npm run mutate`; `npm test` never writes the document.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EQUIVALENTS } from './lib/mutation-equivalents.mjs';
import { ROOT } from './lib/paths.mjs';
import { replaceBlock } from './lib/observations.mjs';

const DOC = 'docs/mutation.md';
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

const read = (name) => {
  const path = join(ROOT, 'reports/mutation', name);
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
};

/** The source text a mutant replaced, on one line: the key that survives line shifts. */
function originalOf(source, { start, end }) {
  const lines = source.split('\n');
  const text =
    start.line === end.line
      ? lines[start.line - 1].slice(start.column - 1, end.column - 1)
      : [
          lines[start.line - 1].slice(start.column - 1),
          ...lines.slice(start.line, end.line - 1),
          lines[end.line - 1].slice(0, end.column - 1),
        ].join('\n');
  return text.replace(/\s+/g, ' ').trim();
}

/** One mutant: the same file, place, mutator and replacement in both runs (they mutate the same source). */
const keyOf = (file, m) =>
  [
    file,
    m.location.start.line,
    m.location.start.column,
    m.location.end.line,
    m.location.end.column,
    m.mutatorName,
    m.replacement ?? '',
  ].join('\u0000');

function collect(report, run) {
  const mutants = new Map();
  for (const [file, { source, mutants: list }] of Object.entries(report?.files ?? {})) {
    for (const m of list) {
      const original = originalOf(source, m.location);
      mutants.set(keyOf(file, m), {
        file,
        line: m.location.start.line,
        mutator: m.mutatorName,
        original,
        replacement: m.replacement ?? '',
        status: m.status,
        run,
      });
    }
  }
  return mutants;
}

const short = (text, max = 70) => {
  const one = text.replace(/\s+/g, ' ');
  return (one.length > max ? `${one.slice(0, max - 1)}…` : one).replaceAll('|', '\\|').replaceAll('`', "'");
};
const percent = (detected, total) => (total === 0 ? 'n/a' : `${((100 * detected) / total).toFixed(2)}%`);

/** The files stryker.config.mjs mutates: src/ but declarations and the two entrypoints. */
function sourceFiles() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.d.ts') && path !== 'src/main.ts' && path !== 'src/snapshot.ts') files.push(path);
    }
  };
  walk('src');
  return files.sort();
}

export function generate() {
  const pure = read('pure.json');
  const edges = read('edges.json');
  const mutants = collect(pure, 'in-process');
  // A run narrowed with --mutate (reports/mutation/pure-*.json, later names winning) re-tested some
  // files with newer tests, or after their source changed: its results replace the whole file's, so
  // that no mutant of an older version of the file stays in the table. Narrowed runs that together
  // cover src/ stand for a full run: a run cut short then loses only its own part.
  const narrowed = readdirSync(join(ROOT, 'reports/mutation'))
    .filter((n) => /^pure-.+\.json$/.test(n))
    .sort();
  if (!pure && narrowed.length === 0) throw new Error('no report in reports/mutation: run npm run mutate first');
  for (const name of narrowed) {
    const report = read(name);
    const files = new Set(Object.keys(report.files ?? {}));
    for (const [key, m] of mutants) if (files.has(m.file)) mutants.delete(key);
    for (const [key, m] of collect(report, 'in-process')) mutants.set(key, m);
  }
  for (const [key, m] of collect(edges, 'edges')) {
    const before = mutants.get(key);
    if (!before || (UNDETECTED.has(before.status) && !UNDETECTED.has(m.status))) mutants.set(key, m);
  }
  const equivalent = (m) =>
    EQUIVALENTS.find((e) => e.file === m.file && e.mutator === m.mutator && e.original === m.original && e.replacement === m.replacement);

  const all = [...mutants.values()];
  const scored = all.filter((m) => DETECTED.has(m.status) || UNDETECTED.has(m.status));
  const detected = scored.filter((m) => DETECTED.has(m.status));
  const alive = scored.filter((m) => UNDETECTED.has(m.status));
  const known = alive.filter(equivalent);
  const byFile = new Map();
  for (const m of scored) {
    const row = byFile.get(m.file) ?? { detected: 0, survived: 0, noCoverage: 0, equivalent: 0 };
    if (DETECTED.has(m.status)) row.detected++;
    else if (equivalent(m)) row.equivalent++;
    else if (m.status === 'Survived') row.survived++;
    else row.noCoverage++;
    byFile.set(m.file, row);
  }
  const count = (status) => all.filter((m) => m.status === status).length;
  const reported = new Set(all.map((m) => m.file));
  const unreported = sourceFiles().filter((file) => !reported.has(file));
  const summary = [
    `Mutation score over src/: **${percent(detected.length, scored.length)}** (${detected.length} of ${scored.length} mutants detected); ` +
      `**${percent(detected.length, scored.length - known.length)}** with the ${known.length} equivalent mutants below left out.`,
    '',
    (pure
      ? `Runs: in-process (\`npm run mutate\`, ${Object.keys(pure.files ?? {}).length} files)`
      : `Runs: in-process, in parts (\`npx stryker run --force --mutate FILES\`, ${byFile.size} files)`) +
      (edges
        ? `, and the edges run (\`npm run mutate:edges\`, process tests, bundle rebuilt per mutant).`
        : '; the edges run (`npm run mutate:edges`) has not been merged in.') +
      (narrowed.length > 0 ? ` ${pure ? 'Narrowed runs laid over it, file by file' : 'The parts'}: ${narrowed.join(', ')}.` : ''),
    `Killed ${count('Killed')}, timed out ${count('Timeout')}, survived ${count('Survived')}, no coverage ${count('NoCoverage')}, ` +
      `rejected by the TypeScript checker ${count('CompileError')}, runtime errors ${count('RuntimeError')}, ignored ${count('Ignored')}.`,
    unreported.length === 0
      ? 'Every file Stryker mutates is in the reports.'
      : `**Not measured** (in no report): ${unreported.join(', ')}.`,
    '',
    '| file | detected | survived | no coverage | equivalent | score |',
    '|---|---|---|---|---|---|',
    ...[...byFile]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([file, r]) => {
        const total = r.detected + r.survived + r.noCoverage + r.equivalent;
        return `| ${file} | ${r.detected} | ${r.survived} | ${r.noCoverage} | ${r.equivalent} | ${percent(r.detected, total)} |`;
      }),
    '',
    '### Equivalent mutants (no test can tell them apart from the code)',
    '',
    ...(known.length === 0
      ? ['None found in this run.']
      : [
          '| file:line | mutator | original -> mutant | why it is equivalent |',
          '|---|---|---|---|',
          ...known.map(
            (m) =>
              `| ${m.file}:${m.line} | ${m.mutator} | \`${short(m.original, 40)}\` -> \`${short(m.replacement, 40)}\` | ${equivalent(m).why} |`,
          ),
        ]),
    '',
    '### Surviving mutants',
    '',
    ...(alive.length === known.length
      ? ['None.']
      : [
          '| file:line | status | mutator | original -> mutant |',
          '|---|---|---|---|',
          ...alive
            .filter((m) => !equivalent(m))
            .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)
            .map(
              (m) =>
                `| ${m.file}:${m.line} | ${m.status} | ${m.mutator} | \`${short(m.original, 50)}\` -> \`${short(m.replacement, 50)}\` |`,
            ),
        ]),
    '',
  ].join('\n');
  replaceBlock(DOC, 'mutation', summary);
  return DOC;
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`wrote ${generate()}\n`);
