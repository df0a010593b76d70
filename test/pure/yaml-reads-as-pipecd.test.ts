/**
 * parseYaml's plain value is what every check and rewrite decides on, and it claims to be what
 * PipeCD's YAMLToJSON (sigs.k8s.io/yaml over go-yaml v2) makes of the same text. Here the oracle
 * (test/oracle, PipeCD's own libraries) answers for each document, one scalar or one structure at a
 * time, so that a number read as a string (or the other way round), a key spelled differently or a
 * refusal PipeCD does not make shows as the scalar that causes it.
 */
import { parseDocument } from 'yaml';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { GoYamlError, MAX_ALIAS_NODES, toGoPlain, type Plain } from '../../src/render/go-yaml.js';
import { parseYaml } from '../../src/render/yaml-document.js';
import { failureOf } from '../helpers/failure.js';
import { judge, type Verdict } from '../helpers/oracle.js';

/** Plain scalars in every number form go-yaml v2 knows, and their near misses. */
const SCALARS = [
  // Go's prefixed integers (strconv.ParseInt with base 0, after go-yaml removes `_`)
  ...['0o17', '0O17', '0o_17', '0o1_7', '0o177', '-0o17', '+0o17', '0b101', '0B1_01', '0b_1', '0b1_0_1', '-0b11', '+0b11'],
  ...['0x1F', '0X1f', '0x_1f', '0x1_F', '0x1fF', '-0x1f', '+0x1F', '0xff_ff'],
  // YAML 1.1 octal and decimal integers
  ...['0777', '-0777', '+0777', '0778', '07', '00', '08', '0', '-0', '1_000', '12', '-12', '+12', '1__0'],
  // floats, with and without exponent
  ...['1.5', '12.5', '1.25', '-1.5', '+1.5', '.5', '.25', '+.5', '-.25', '1.', '0.1e-2', '1e3', '12e3', '1.25e3', '.25e3', '.5e3'],
  ...['+1.5e-3', '-1E+3', '1e+3', '1E3', '1e34', '2.5E-1'],
  // near misses: strings to both
  ...['0o', '0b', '0x', '0o8', '0b2', '0b12', '0xg', '0x1fg', '0o17x', '0b1x', 'x0o17', 'x0b1', 'a0b1', 'z0x1f', 'a0x1f', 'x0777', '0778x'],
  ...[
    'x1e3',
    '1e3x',
    'a1e3',
    'e3',
    '1e',
    '1.5x',
    'x1.5',
    'a1.5',
    '.',
    '._',
    '1.2.3',
    '1:20',
    '190:20:30',
    '2001-12-14',
    '2001-12-14t21:59:43.10-05:00',
  ],
  ...['1_0.5', '1_000.5', '.5_0', '1_0e3', '0b1_', '0x_', '+', '+-1', '1e3.5', '1e-', '0x1p3'],
  // booleans and nulls of YAML 1.1
  ...[
    'y',
    'Y',
    'yes',
    'Yes',
    'YES',
    'n',
    'N',
    'no',
    'NO',
    'on',
    'On',
    'off',
    'OFF',
    'true',
    'True',
    'false',
    'FALSE',
    '~',
    'null',
    'Null',
    'NULL',
    '',
  ],
];

/**
 * Where go-yaml v2 reads a number and parseYaml keeps the text: an underscore in a float (go-yaml
 * removes every `_` before strconv.ParseFloat). A string where PipeCD sees a number can only make a
 * type check pass, never refuse a config (yaml-document.ts says why the tags are narrowed so).
 */
const GO_READS_A_NUMBER = new Set(['1_0.5', '1_000.5', '.5_0', '1_0e3']);

/** Documents whose structure (keys, merges, aliases) decides the plain value. */
const STRUCTURES = [
  '1: a\n1.5: b\n0x10: c\ntrue: d\nyes: e\nn: f\n-0o17: g\n',
  '? a\nb:\n',
  'v: [1, two, 0o10, {k: 1e3}]\n',
  'base: &b {a: 1, b: 2}\nm:\n  a: 0\n  <<: *b\n  b: 3\n',
  'x: &x {a: 1}\ny: &y {a: 2, b: 2}\nm:\n  <<: [*x, *y]\n',
  'a: &a 0x10\nl: [*a, *a]\nm: {k: *a}\n',
  'v: 1\nv: 2\n',
  'v: .inf\nv: 1\n',
];

/** What YAMLToJSON answers for each document, as one value (JSON.parse of its output) or its refusal. */
let oracle: Map<string, Verdict>;

beforeAll(() => {
  const docs = [...SCALARS.map((s) => `v: ${s}\n`), ...SCALARS.map((s) => `${s}: v\n`), ...STRUCTURES];
  const verdicts = judge(inject('oracle'), 'json', docs);
  oracle = new Map(docs.map((d, i) => [d, verdicts[i]!]));
});

function pipecd(doc: string): Plain {
  const verdict = oracle.get(doc)!;
  expect(verdict.error, doc).toBeUndefined();
  return JSON.parse(verdict.json!) as Plain;
}

/** parseYaml's value as the JSON it stands for: `-0` is an integer 0 to go-yaml and a float -0 here, the same JSON. */
function ours(doc: string): Plain {
  return JSON.parse(JSON.stringify(parseYaml(doc, 'CONFIG').plain)) as Plain;
}

describe('a scalar value reads as YAMLToJSON reads it', () => {
  it.each(SCALARS.filter((s) => !GO_READS_A_NUMBER.has(s)))('%j', (scalar) => {
    const doc = `v: ${scalar}\n`;
    expect(ours(doc)).toStrictEqual(pipecd(doc));
  });

  it.each([...GO_READS_A_NUMBER])('%j: a number to go-yaml, kept as its text', (scalar) => {
    const doc = `v: ${scalar}\n`;
    expect(typeof (pipecd(doc) as { v: Plain }).v).toBe('number');
    expect(parseYaml(doc, 'CONFIG').plain).toStrictEqual({ v: scalar });
  });
});

describe('a scalar key becomes the string YAMLToJSON makes of it', () => {
  // YAMLToJSON refuses a null key; parseYaml refuses it too (below), so those rows are left out.
  it.each(SCALARS.filter((s) => !['~', 'null', 'Null', 'NULL', ''].includes(s)))('%j', (scalar) => {
    const doc = `${scalar}: v\n`;
    if (GO_READS_A_NUMBER.has(scalar)) {
      expect(parseYaml(doc, 'CONFIG').plain).toStrictEqual({ [scalar]: 'v' });
      return;
    }
    expect(ours(doc)).toStrictEqual(pipecd(doc));
  });
});

describe('structures: keys, merge keys, aliases and duplicates', () => {
  it.each(STRUCTURES.filter((d) => !d.includes('.inf')))('%j', (doc) => {
    expect(ours(doc)).toStrictEqual(pipecd(doc));
  });

  it('a value JSON cannot hold counts only where it stays: a later duplicate replaces it, for both', () => {
    const doc = 'v: .inf\nv: 1\n';
    expect(ours(doc)).toStrictEqual(pipecd(doc));
  });
});

describe('refusals name the node, as PipeCD refuses the same documents', () => {
  const refusals: [string, string][] = [
    ['~: d\n', 'CONFIG: invalid YAML (line 1, column 1): a key that is not a string, number or boolean (YAMLToJSON refuses it)'],
    [
      'a: 1\n? [1, 2]\n: d\n',
      'CONFIG: invalid YAML (line 2, column 3): a key that is not a string, number or boolean (YAMLToJSON refuses it)',
    ],
    ['a: 1\nm:\n  <<: 1\n', 'CONFIG: invalid YAML (line 3, column 7): a merge key (<<) needs a mapping or a list of mappings'],
    [
      'a: &a {k: 1}\nm:\n  <<: [*a, 2]\n',
      'CONFIG: invalid YAML (line 3, column 12): a merge key (<<) needs a mapping or a list of mappings',
    ],
    ['a: 1\nv: .inf\n', 'CONFIG: invalid YAML (line 2, column 4): a value that is infinite or not a number (JSON cannot hold it)'],
    ['v: [1, -.inf]\n', 'CONFIG: invalid YAML (line 1, column 8): a value that is infinite or not a number (JSON cannot hold it)'],
    [
      'm:\n  k: [1]\n  n: {o: .nan}\n',
      'CONFIG: invalid YAML (line 3, column 10): a value that is infinite or not a number (JSON cannot hold it)',
    ],
  ];

  it.each(refusals)('%j', (doc, message) => {
    expect(judge(inject('oracle'), 'json', [doc])[0]!.ok).toBe(false);
    expect(failureOf(() => parseYaml(doc, 'CONFIG'))).toStrictEqual({ exitCode: 65, message, hint: undefined });
  });
});

describe('aliases expand to at most MAX_ALIAS_NODES nodes, and only aliased nodes count', () => {
  const many = (n: number, each: (i: number) => string) => Array.from({ length: n }, (_, i) => each(i)).join(', ');
  const tooMany = `CONFIG: YAML aliases expand to too many nodes (more than ${MAX_ALIAS_NODES}); resource exhaustion refused`;

  it(`aliases that expand to ${MAX_ALIAS_NODES} nodes load, in a list or a mapping; one node more is refused`, () => {
    expect(MAX_ALIAS_NODES).toBe(10_000);
    // Each alias of a stands for a list of 99 items, 100 nodes: the library resolves an alias by
    // walking the document, so 10,000 aliases of a scalar would take minutes.
    const a = `a: &a [${many(99, () => '1')}]\nb: &b 1\n`;
    const list = (aliases: number, extra = '') => `${a}l: [${many(aliases, () => '*a')}${extra}]\n`;
    const map = (aliases: number, extra = '') => `${a}m: {${many(aliases, (i) => `k${i}: *a`)}${extra}}\n`;
    const fits = MAX_ALIAS_NODES / 100;
    expect((parseYaml(list(fits), 'CONFIG').plain as { l: Plain[] }).l).toHaveLength(fits);
    expect(Object.keys((parseYaml(map(fits), 'CONFIG').plain as { m: object }).m)).toHaveLength(fits);
    const refused = { exitCode: 65, message: tooMany, hint: undefined };
    expect(failureOf(() => parseYaml(list(fits, ', *b'), 'CONFIG'))).toStrictEqual(refused);
    expect(failureOf(() => parseYaml(map(fits, ', x: *b'), 'CONFIG'))).toStrictEqual(refused);
  });

  it('a document of more plain nodes than that, with no alias, loads', () => {
    const n = MAX_ALIAS_NODES + 1;
    expect((parseYaml(`l: [${many(n, (i) => String(i))}]\n`, 'CONFIG').plain as { l: Plain[] }).l).toHaveLength(n);
    const map = `{${many(n, (i) => `k${i}: ${i}`)}}\n`;
    expect(Object.keys(parseYaml(map, 'CONFIG').plain as object)).toHaveLength(n);
  });
});

describe('toGoPlain on its own', () => {
  it('refuses an alias whose anchor is not defined before it, naming the alias (parseYaml checks this first)', () => {
    const doc = parseDocument('a: *x\nb: &x 1\n', { version: '1.1', merge: true });
    const error = (() => {
      try {
        toGoPlain(doc);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(GoYamlError);
    expect((error as GoYamlError).message).toBe('an alias refers to an anchor that is not defined before it');
    expect((error as GoYamlError).node?.range?.[0]).toBe(3);
  });
});
