// The README's migration comparison (the block generated:migration) from what test/migration.test.ts
// observed: the old commands it ran verbatim and, per container, one row per fact and one column per
// way of starting. Refuses to write from an incomplete run.
import { readObservations, replaceBlock } from '../lib/observations.mjs';

/** Values in first-seen order: the order the test observed them in. */
const distinct = (values) => [...new Set(values)];
const cell = (text) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const hclList = (words) => `[${words.map((w) => JSON.stringify(w)).join(', ')}]`;

function section(container, commands, facts) {
  const columns = distinct(facts.map((f) => f.column));
  const rows = distinct(facts.map((f) => f.row));
  const value = (row, column) => facts.find((f) => f.row === row && f.column === column)?.value;
  for (const row of rows)
    for (const column of columns)
      if (value(row, column) === undefined)
        throw new Error(`migration: ${container} has no "${row}" for "${column}": the run was incomplete`);
  return [
    `### ${container}`,
    '',
    `Before (${commands.source}):`,
    '',
    '```hcl',
    `entrypoint = ${hclList(commands.entryPoint)}`,
    'command = [',
    ...commands.command.map((c) => `  ${JSON.stringify(c)},`),
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

export default function generate() {
  const observations = readObservations('migration');
  const commandsOf = new Map(observations.filter((o) => o.commands).map((o) => [o.container, o.commands]));
  const facts = observations.filter((o) => o.row);
  const containers = distinct(facts.map((f) => f.container));
  if (containers.length === 0) throw new Error('migration: no observations: test/migration.test.ts did not run');
  for (const c of containers) if (!commandsOf.has(c)) throw new Error(`migration: no commands recorded for ${c}`);
  const sections = containers.map((c) =>
    section(
      c,
      commandsOf.get(c),
      facts.filter((f) => f.container === c),
    ),
  );
  replaceBlock(
    'README.md',
    'migration',
    `<!-- Written by \`npm run docs\` (scripts/docs/migration.mjs) from test/migration.test.ts: ${facts.length} observations. Do not edit by hand. -->\n\n${sections.join('\n')}`,
  );
  return 'README.md (generated:migration)';
}
