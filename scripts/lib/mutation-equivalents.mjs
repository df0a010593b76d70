// Surviving mutants that no test can kill because the mutated code behaves the same. Each one is
// listed in docs/mutation.md with its reason; it is never excluded from the run itself. Matched by
// file, mutator, the original text and the replacement, so that line shifts do not lose it.
const ROUND_TRIP =
  'decodeStrictBase64 ends by re-encoding the decoded bytes and comparing with the text: any text this earlier check would have let through fails there';
const UNREACHABLE_CODE =
  'yaml 2.8.1, parsing with these options, reports this code only as a warning or not at all: the row is never read (kept so that a future parser that reports it is still described without quoting the document)';

const row = (file, mutator, original, replacement, why) => ({ file, mutator, original, replacement, why });

export const EQUIVALENTS = [
  row('src/render/decode.ts', 'Regex', '/^[A-Za-z0-9+/]*={0,2}$/', '/[A-Za-z0-9+/]*={0,2}$/', ROUND_TRIP),
  row('src/render/decode.ts', 'Regex', '/^[A-Za-z0-9+/]*={0,2}$/', '/^[A-Za-z0-9+/]*={0,2}/', ROUND_TRIP),
  row('src/render/decode.ts', 'ConditionalExpression', '!lines.every((line) => BASE64_LINE.test(line))', 'false', ROUND_TRIP),
  row(
    'src/render/decode.ts',
    'MethodExpression',
    'lines.every((line) => BASE64_LINE.test(line))',
    'lines.some(line => BASE64_LINE.test(line))',
    ROUND_TRIP,
  ),
  row('src/render/decode.ts', 'ConditionalExpression', 'joined.length % 4 !== 0', 'false', ROUND_TRIP),
  row('src/render/decode.ts', 'ConditionalExpression', "joined.length % 4 !== 0 || joined.slice(0, -2).includes('=')", 'false', ROUND_TRIP),
  row(
    'src/render/decode.ts',
    'LogicalOperator',
    "joined.length % 4 !== 0 || joined.slice(0, -2).includes('=')",
    "joined.length % 4 !== 0 && joined.slice(0, -2).includes('=')",
    ROUND_TRIP,
  ),
  row('src/render/decode.ts', 'UnaryOperator', '-2', '+2', ROUND_TRIP),
  ...[
    ['start < end', 'true'],
    ['start < end', 'start <= end'],
    ['end > start', 'true'],
    ['end > start', 'end >= start'],
  ].map(([original, replacement]) =>
    row(
      'src/render/decode.ts',
      replacement === 'true' ? 'ConditionalExpression' : 'EqualityOperator',
      original,
      replacement,
      'the loop also stops on a byte that is not ASCII white space, and a Buffer read past either end is undefined, which is not; the trimmed range is the same',
    ),
  ),
  row('src/render/decode.ts', 'BlockStatement', '{ return undefined; }', '{}', 'an empty catch block also returns undefined'),
  row(
    'src/render/datastore-url.ts',
    'Regex',
    '/^(\\[[0-9A-Fa-f:.]+\\]|[^:/()@[\\]]*)(:\\d{1,5})?/',
    '/(\\[[0-9A-Fa-f:.]+\\]|[^:/()@[\\]]*)(:\\d{1,5})?/',
    'every part of the pattern may be empty, so exec() always matches at index 0 with or without the anchor',
  ),
  row(
    'src/render/datastore-url.ts',
    'ConditionalExpression',
    'at >= 0',
    'true',
    "with no '@', lastIndexOf is -1 and url.slice(0, 0) is '' as well",
  ),
  row(
    'src/render/control-plane.ts',
    'Regex',
    '/\\/[^/?]+/',
    '/\\/[^/?]/',
    'test() with one character after the slash finds the same strings as with one or more',
  ),
  row(
    'src/render/control-plane.ts',
    'BooleanLiteral',
    'true',
    'false',
    'getIn returns the node of a collection whether keepScalar is true or false; only scalars differ',
  ),
  row(
    'src/render/plan.ts',
    'ConditionalExpression',
    '!isDeepStrictEqual(toPlain(reread), toPlain(source))',
    'false',
    'a guard against a yaml printer bug: no input makes the rewritten text read back differently, so no test reaches the throw',
  ),
  row(
    'src/render/plan.ts',
    'BlockStatement',
    '{ throw dataError(`${decoded.label}: the rewritten config does not read back the same; refusing to write it`); }',
    '{}',
    'the same guard as above',
  ),
  row(
    'src/render/plan.ts',
    'StringLiteral',
    '`${decoded.label}: the rewritten config does not read back the same; refusing to write it`',
    '``',
    'the same guard as above',
  ),
  row(
    'src/render/schema-kit.ts',
    'ConditionalExpression',
    "typeof p !== 'symbol'",
    'true',
    'zod reports symbol path keys only for symbol-keyed shapes, which no schema here has',
  ),
  ...[
    "'a collection has the wrong type for its tag'",
    "'a bad directive'",
    "'anchor and tag in the wrong order'",
    "'a block collection used as a key'",
    "'an impossible construct'",
    "'more than one document'",
    "'a key that is not a string'",
    "'a value that does not match its tag'",
  ].map((original) => row('src/render/yaml-document.ts', 'StringLiteral', original, '""', UNREACHABLE_CODE)),
  row(
    'src/render/yaml-document.ts',
    'BooleanLiteral',
    'false',
    'true',
    "prettyErrors changes only the text of the parser's messages, which are never shown; the codes and offsets are the same",
  ),
  row(
    'src/render/yaml-document.ts',
    'ArrayDeclaration',
    '[docs]',
    '[]',
    'parseAllDocuments returns an array (an EmptyStream for no document), so the other branch never runs',
  ),
  row(
    'src/render/yaml-document.ts',
    'ObjectLiteral',
    '{ maxAliasCount: MAX_ALIAS_COUNT }',
    '{}',
    "yaml's own default maxAliasCount is also 100",
  ),
  row(
    'src/render/yaml-document.ts',
    'ConditionalExpression',
    'depth === 0',
    'false',
    'getIn([], true) returns the document contents, as the first branch does',
  ),
  row(
    'src/render/yaml-document.ts',
    'ConditionalExpression',
    'path.length === 1',
    'false',
    'getIn([], true) returns the document contents, as the first branch does',
  ),
  row(
    'src/render/yaml-document.ts',
    'BooleanLiteral',
    'true',
    'false',
    'the parent looked up is a collection, returned as a node either way',
  ),
  row(
    'src/render/yaml-document.ts',
    'UnaryOperator',
    '-1',
    '+1',
    'unknown keys are reported only at depth 1 (the document) and 2 (spec), where slice(0, 1) and slice(0, -1) are the same',
  ),
  ...['src/secrets/aws-credentials.ts', 'src/secrets/fast-transport.ts', 'src/secrets/fetch-secrets.ts'].map((file) =>
    row(
      file,
      'ObjectLiteral',
      '{ once: true }',
      '{}',
      "an AbortSignal dispatches 'abort' once at most: the listener runs once with or without `once`",
    ),
  ),
  row('src/output/write-files.ts', 'BlockStatement', '{ return undefined; }', '{}', 'an empty catch block also returns undefined'),
  row('src/inputs/resolve-inputs.ts', 'StringLiteral', "'error'", '""', 'a failed read from node:fs always has a code'),
];
