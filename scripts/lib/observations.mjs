// Observations: rows that tests record as they run (test/helpers/observe.ts) and that the generators
// in scripts/docs/ turn into documentation. A test run never writes a tracked file; `npm run docs` does.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OBSERVATIONS_DIR, ROOT } from './paths.mjs';

export function recordObservation(topic, row) {
  const dir = join(OBSERVATIONS_DIR, topic);
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, `${process.pid}.jsonl`), `${JSON.stringify(row)}\n`);
}

/** Every row recorded under `topic` in this run, in no particular order. */
export function readObservations(topic) {
  const dir = join(OBSERVATIONS_DIR, topic);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) =>
    readFileSync(join(dir, f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  );
}

export const clearObservations = () => rmSync(OBSERVATIONS_DIR, { recursive: true, force: true });

/** Writes a generated file under the repository root. */
export const writeDoc = (path, text) => writeFileSync(join(ROOT, path), text);

/** Replaces the lines between `<!-- BEGIN generated:NAME -->` and `<!-- END generated:NAME -->` in a tracked file. */
export function replaceBlock(path, name, text) {
  const file = join(ROOT, path);
  const source = readFileSync(file, 'utf8');
  const begin = `<!-- BEGIN generated:${name} -->\n`;
  const end = `<!-- END generated:${name} -->`;
  const from = source.indexOf(begin);
  const to = source.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${path} has no block generated:${name}`);
  writeFileSync(file, source.slice(0, from + begin.length) + text + source.slice(to));
}
