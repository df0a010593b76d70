import {
  LineCounter,
  isScalar,
  parseAllDocuments,
  parseDocument,
  visit,
  type Document,
  type DocumentOptions,
  type ParseOptions,
  type SchemaOptions,
} from 'yaml';
import { dataError } from '../errors.js';
import { GoYamlError, MAX_ALIAS_NODES, toGoPlain, type Entry, type Origins, type Plain } from './go-yaml.js';

export type YamlPath = readonly (string | number)[];

/** A parsed config that can still say where each of its nodes came from. */
export interface YamlSource {
  /** Names the input in messages, e.g. `CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG)`. */
  readonly label: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
  /** The value as PipeCD's YAMLToJSON makes it (see go-yaml.ts). */
  readonly plain: Plain;
  readonly origins: Origins;
}

/**
 * The parser's own messages can quote the document (and so a secret), so errors are described by
 * their code alone.
 */
const YAML_ERRORS: Record<string, string> = {
  ALIAS_PROPS: 'an alias cannot have an anchor or tag',
  BAD_ALIAS: 'an alias refers to an anchor that is not defined before it',
  BAD_COLLECTION_TYPE: 'a collection has the wrong type for its tag',
  BAD_DIRECTIVE: 'a bad directive',
  BAD_DQ_ESCAPE: 'a bad escape in a double-quoted string',
  BAD_INDENT: 'bad indentation',
  BAD_PROP_ORDER: 'anchor and tag in the wrong order',
  BAD_SCALAR_START: 'a plain value cannot start with this character',
  BLOCK_AS_IMPLICIT_KEY: 'a block collection used as a key',
  BLOCK_IN_FLOW: 'a block collection inside a flow collection',
  IMPOSSIBLE: 'an impossible construct',
  KEY_OVER_1024_CHARS: 'a key longer than 1024 characters',
  MISSING_CHAR: 'a missing character (unclosed quote or bracket?)',
  MULTILINE_IMPLICIT_KEY: 'a key spread over several lines',
  MULTIPLE_ANCHORS: 'a node with two anchors',
  MULTIPLE_TAGS: 'a node with two tags',
  NON_STRING_KEY: 'a key that is not a string',
  TAB_AS_INDENT: 'a tab used for indentation',
  TAG_RESOLVE_FAILED: 'a value that does not match its tag',
  UNEXPECTED_TOKEN: 'an unexpected token',
};

/** Keys that would reach Object.prototype in a naive consumer; no PipeCD or envoy config uses them. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * go-yaml v2 resolves plain scalars as YAML 1.1 with a few differences from the `yaml` library's
 * yaml-1.1 schema. A timestamp reaches YAMLToJSON as a string and sexagesimal numbers (`1:20`) do
 * not exist, so those tags are dropped; the number tags are narrowed to what Go surely reads as a
 * number (the library reads `e3`, `.` and `._` as NaN, Go as strings), and Go's prefixed integers
 * (`0o17`, `0X1F`) are added. A value Go reads as a number that these tags leave a string can only
 * make a check pass, never fail.
 */
const GO_NUMBER_TESTS: Record<string, RegExp> = {
  BIN: /^[-+]?0b[01]+$/,
  OCT: /^[-+]?0[0-7]+$/,
  HEX: /^[-+]?0x[0-9a-fA-F]+$/,
  EXP: /^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+$/,
  INT: /^[-+]?[0-9][0-9_]*$/,
  FLOAT: /^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)$/,
};

type Tag = {
  tag: string;
  format?: string;
  test?: RegExp;
  default?: boolean;
  identify?: (v: unknown) => boolean;
  resolve?: (s: string) => unknown;
};

/** Go's strconv.ParseInt(s, 0, 64), which go-yaml v2 runs on every plain scalar after removing `_`: 0o17, 0X1F, 0B11. */
const GO_PREFIXED_INT: Tag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  identify: () => false,
  test: /^[-+]?0(?:[oO]_*[0-7][0-7_]*|[bB]_*[01][01_]*|[xX]_*[0-9a-fA-F][0-9a-fA-F_]*)$/,
  resolve(text) {
    const sign = text.startsWith('-') ? -1 : 1;
    const body = text.replace(/^[-+]/, '').replace(/_/g, '');
    const base = { o: 8, b: 2, x: 16 }[body[1]!.toLowerCase() as 'o' | 'b' | 'x'];
    return sign * parseInt(body.slice(2), base);
  },
};

function goScalarTags(tags: Tag[]): Tag[] {
  return [GO_PREFIXED_INT, ...tags]
    .filter((t) => t.format !== 'TIME' && t.tag !== 'tag:yaml.org,2002:timestamp')
    .map((t) => {
      const number = t.tag === 'tag:yaml.org,2002:int' || t.tag === 'tag:yaml.org,2002:float';
      // .inf and .nan keep their own test: Go reads them alike (and JSON cannot hold them).
      if (!number || !t.test || t === GO_PREFIXED_INT || t.test.source.includes('nan')) return t;
      return { ...t, test: GO_NUMBER_TESTS[t.format ?? (t.tag.endsWith('int') ? 'INT' : 'FLOAT')] ?? t.test };
    });
}

/** The `yaml` library's options that make it read a file as go-yaml v2 does. */
const GO_YAML_OPTIONS = {
  version: '1.1',
  merge: true,
  uniqueKeys: false,
  strict: false,
  prettyErrors: false,
  keepSourceTokens: true,
  customTags: goScalarTags as unknown as (tags: unknown[]) => unknown[],
} as const;

/**
 * Whether a scalar's source text, read as go-yaml v2 reads it, is exactly this string: a plain
 * `123`, `on` or `~` is a number, a boolean and null, and must be quoted to stay a string.
 */
export function readsAsString(source: string, value: string): boolean {
  const doc = parseDocument(source, GO_YAML_OPTIONS as ParseOptions & DocumentOptions & SchemaOptions);
  return doc.errors.length === 0 && isScalar(doc.contents) && doc.contents.value === value;
}

export function at(source: Pick<YamlSource, 'lines'>, offset: number | undefined): string {
  if (offset === undefined) return '';
  const { line, col } = source.lines.linePos(offset);
  return ` (line ${line}, column ${col})`;
}

export function formatPath(path: YamlPath): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : text === '' ? part : `.${part}`;
  return text === '' ? '(document)' : text;
}

/**
 * Reads a config as PipeCD does: only the first document counts (a trailing `---` or a second
 * document is ignored, as go-yaml v2's Unmarshal ignores it), duplicate keys are allowed and the
 * last wins, YAML 1.1 scalars and merge keys resolve.
 */
export function parseYaml(text: string, label: string): YamlSource {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { ...GO_YAML_OPTIONS, lineCounter: lines } as ParseOptions & DocumentOptions & SchemaOptions);
  const doc = (Array.isArray(docs) ? docs : [docs])[0];
  if (!doc) throw dataError(`${label}: holds no YAML document`);
  const first = doc.errors[0];
  if (first) {
    const what = YAML_ERRORS[first.code] ?? first.code;
    throw dataError(`${label}: invalid YAML${at({ lines }, first.pos[0])}: ${what}`);
  }
  // An alias must follow its anchor; the check walks the document once, in order, as toJS would resolve it.
  const anchors = new Set<string>();
  visit(doc, {
    Node(_, node) {
      if (node.anchor) anchors.add(node.anchor);
    },
    Alias(_, alias) {
      if (!anchors.has(alias.source)) throw dataError(`${label}: invalid YAML${at({ lines }, alias.range?.[0])}: ${YAML_ERRORS.BAD_ALIAS}`);
    },
    Pair(_, pair) {
      if (isScalar(pair.key) && FORBIDDEN_KEYS.has(String(pair.key.value))) {
        throw dataError(`${label}: key "${String(pair.key.value)}"${at({ lines }, pair.key.range?.[0])} is not allowed in a config`);
      }
    },
  });
  try {
    const { plain, origins } = toGoPlain(doc);
    return { label, text, doc, lines, plain, origins };
  } catch (e) {
    if (!(e instanceof GoYamlError)) throw e;
    if (!e.node) {
      throw dataError(`${label}: YAML aliases expand to too many nodes (more than ${MAX_ALIAS_NODES}); resource exhaustion refused`);
    }
    throw dataError(`${label}: invalid YAML${at({ lines }, e.node.range?.[0])}: ${e.message}`);
  }
}

/** What a path leads to: the entries on the way (one per mapping key) and the deepest node reached. */
export interface Located {
  readonly found: boolean;
  readonly entries: readonly Entry[];
  readonly offset: number | undefined;
  readonly keyOffset: number | undefined;
}

/** Follows `path` through the plain value, aliases and merge keys included. */
export function locate(source: YamlSource, path: YamlPath): Located {
  let value: Plain = source.plain;
  let offset = source.doc.contents?.range?.[0];
  let keyOffset: number | undefined;
  const entries: Entry[] = [];
  for (const part of path) {
    const where =
      typeof part === 'number' && Array.isArray(value)
        ? source.origins.items.get(value)?.[part]
        : typeof part === 'string' && value !== null && typeof value === 'object' && !Array.isArray(value)
          ? source.origins.entries.get(value)?.get(part)
          : undefined;
    if (!where) return { found: false, entries, offset, keyOffset };
    if ('pair' in where) {
      entries.push(where);
      keyOffset = (where.pair.key as { range?: [number, number, number] } | null)?.range?.[0];
    }
    offset = where.node?.range?.[0] ?? keyOffset ?? offset;
    value = (value as Record<string, Plain> & Plain[])[part as never]!;
  }
  return { found: true, entries, offset, keyOffset };
}

/** One line naming the input, the YAML path and its position (of the key, or else of the value). */
export function problemAt(source: YamlSource, path: YamlPath, message: string, point: 'key' | 'value' = 'value') {
  const where = locate(source, path);
  const offset = point === 'key' && where.found ? (where.keyOffset ?? where.offset) : where.offset;
  return dataError(`${source.label}: ${formatPath(path)}${at(source, offset)}: ${message}`);
}
