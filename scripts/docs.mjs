// `npm run docs`, after the build and a full test run: every generator in scripts/docs/ writes its
// document from what the tests observed in that run. `npm test` itself writes no tracked file.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './lib/paths.mjs';

const dir = join(ROOT, 'scripts/docs');
for (const name of readdirSync(dir)
  .filter((n) => n.endsWith('.mjs'))
  .sort()) {
  const { default: generate } = await import(pathToFileURL(join(dir, name)).href);
  const written = generate();
  process.stdout.write(`${name}: wrote ${written}\n`);
}
