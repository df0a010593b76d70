// Writes the README's migration comparison (between the generated:migration markers) from what
// test/migration.test.ts observed: the old commands it ran verbatim and, per container, one row per
// fact and one column per way of starting. Run by `npm run docs` after the tests; refuses to write
// from an incomplete run.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/nodes.mjs';

const SOURCE = join(ROOT, '.tmp/observations/migration');
const README = join(ROOT, 'README.md');
const BEGIN = '<!-- BEGIN generated:migration -->';
const END = '<!-- END generated:migration -->';

function fail(message) {
  process.stderr.write(`scripts/docs/migration.mjs: ${message}\n`);
  process.exit(1);
}

function readObservations() {
  if (!existsSync(SOURCE)) fail(`no observations in ${SOURCE}: run the tests first (npm run docs does)`);
  return readdirSync(SOURCE)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) =>
      readFileSync(join(SOURCE, f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    );
}

/** Values in first-seen order, which is the order the test observed them in. */
const distinct = (values) => [...new Set(values)];
const cell = (text) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const hclList = (words) => `[${words.map((w) => JSON.stringify(w)).join(', ')}]`;

function section(container, commands, facts) {
  const columns = distinct(facts.map((f) => f.column));
  const rows = distinct(facts.map((f) => f.row));
  const value = (row, column) => facts.find((f) => f.row === row && f.column === column)?.value;
  for (const row of rows) for (const column of columns) if (value(row, column) === undefined) fail(`${container}: no "${row}" for "${column}"`);
  return [
    `### ${container}`,
    '',
    `Before, from ${commands.source}:`,
    '',
    '```hcl',
    `entrypoint = ${hclList(commands.entryPoint)}`,
    `command    = [`,
    ...commands.command.map((c) => `  ${JSON.stringify(c)}`),
    ']',
    '```',
    '',
    `After (the image's ENTRYPOINT kept; inputs ${commands.newEnv.map((e) => `\`${e}\``).join(', ')}):`,
    '',
    '```hcl',
    `command = ${hclList(commands.newArgs)}`,
    '```',
    '',
    `| | ${columns.map(cell).join(' | ')} |`,
    `|---|${columns.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${cell(row)} | ${columns.map((column) => cell(value(row, column))).join(' | ')} |`),
    '',
  ].join('\n');
}

const observations = readObservations();
const commandsOf = new Map(observations.filter((o) => o.commands).map((o) => [o.container, o.commands]));
const facts = observations.filter((o) => o.row);
const containers = distinct(facts.map((f) => f.container));
if (containers.length === 0) fail('the observations hold no rows');
for (const c of containers) if (!commandsOf.has(c)) fail(`no commands recorded for ${c}`);

const block = [
  BEGIN,
  `<!-- Written by \`npm run docs\` (scripts/docs/migration.mjs) from test/migration.test.ts; ${facts.length} observations. Do not edit by hand. -->`,
  '',
  ...containers.map((c) =>
    section(
      c,
      commandsOf.get(c),
      facts.filter((f) => f.container === c),
    ),
  ),
  END,
].join('\n');

const readme = readFileSync(README, 'utf8');
const begin = readme.indexOf(BEGIN);
const end = readme.indexOf(END);
if (begin < 0 || end < begin) fail(`README.md has no ${BEGIN} ... ${END} block`);
writeFileSync(README, readme.slice(0, begin) + block + readme.slice(end + END.length));
process.stdout.write(`README.md: migration comparison from ${facts.length} observations of ${containers.length} containers\n`);
