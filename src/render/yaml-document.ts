import { LineCounter, isMap, isNode, isScalar, parseAllDocuments, visit, type Document } from 'yaml';
import { dataError } from '../errors.js';

export type YamlPath = readonly (string | number)[];

/** A parsed config that can still say where each of its nodes came from. */
export interface YamlSource {
  /** Names the input in messages, e.g. `CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG)`. */
  readonly label: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
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
  DUPLICATE_KEY: 'a mapping has this key twice',
  IMPOSSIBLE: 'an impossible construct',
  KEY_OVER_1024_CHARS: 'a key longer than 1024 characters',
  MISSING_CHAR: 'a missing character (unclosed quote or bracket?)',
  MULTILINE_IMPLICIT_KEY: 'a key spread over several lines',
  MULTIPLE_ANCHORS: 'a node with two anchors',
  MULTIPLE_DOCS: 'more than one document',
  MULTIPLE_TAGS: 'a node with two tags',
  NON_STRING_KEY: 'a key that is not a string',
  TAB_AS_INDENT: 'a tab used for indentation',
  TAG_RESOLVE_FAILED: 'a value that does not match its tag',
  UNEXPECTED_TOKEN: 'an unexpected token',
};

/** Keys that would reach Object.prototype in a naive consumer; no PipeCD or envoy config uses them. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Alias expansion is capped so that a "billion laughs" document fails instead of eating memory. */
const MAX_ALIAS_COUNT = 100;

export function at(source: YamlSource, offset: number | undefined): string {
  if (offset === undefined) return '';
  const { line, col } = source.lines.linePos(offset);
  return ` (line ${line}, column ${col})`;
}

export function formatPath(path: YamlPath): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : text === '' ? part : `.${part}`;
  return text === '' ? '(document)' : text;
}

export function parseYaml(text: string, label: string): YamlSource {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const source = (doc: Document.Parsed): YamlSource => ({ label, doc, lines });
  if (list.length === 0) throw dataError(`${label}: holds no YAML document`);
  if (list.length > 1) {
    const second = list[1]!;
    throw dataError(`${label}: holds ${list.length} YAML documents${at(source(second), second.range[0])}; give exactly one`);
  }
  const doc = list[0]!;
  const first = doc.errors[0];
  if (first) {
    const what = YAML_ERRORS[first.code] ?? first.code;
    throw dataError(`${label}: invalid YAML${at(source(doc), first.pos[0])}: ${what}`);
  }
  const parsed = source(doc);
  // An alias must follow its anchor; the check walks the document once, in order, as toJS would resolve it.
  const anchors = new Set<string>();
  visit(doc, {
    Node(_, node) {
      if (node.anchor) anchors.add(node.anchor);
    },
    Alias(_, alias) {
      if (!anchors.has(alias.source)) throw dataError(`${label}: invalid YAML${at(parsed, alias.range?.[0])}: ${YAML_ERRORS.BAD_ALIAS}`);
    },
    Pair(_, pair) {
      if (isScalar(pair.key) && FORBIDDEN_KEYS.has(String(pair.key.value))) {
        throw dataError(`${label}: key "${String(pair.key.value)}"${at(parsed, pair.key.range?.[0])} is not allowed in a config`);
      }
    },
  });
  return parsed;
}

/** The plain value of the document, with alias expansion bounded. */
export function toPlain(source: YamlSource): unknown {
  try {
    return source.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    throw dataError(`${source.label}: YAML aliases expand to too many nodes (more than ${MAX_ALIAS_COUNT}); resource exhaustion refused`);
  }
}

/** Where the node at `path` starts, or the deepest existing node above it when it is missing. */
export function offsetOf(source: YamlSource, path: YamlPath): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? source.doc.contents : source.doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return undefined;
}

/** Where the key of the entry at `path` starts: the place to point at for a key that should not be there. */
function keyOffsetOf(source: YamlSource, path: YamlPath): number | undefined {
  const parent = path.length === 1 ? source.doc.contents : source.doc.getIn(path.slice(0, -1), true);
  const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1]) : undefined;
  return isScalar(pair?.key) ? pair.key.range?.[0] : offsetOf(source, path);
}

/** One line naming the input, the YAML path and its position (of the key, or else of the value). */
export function problemAt(source: YamlSource, path: YamlPath, message: string, point: 'key' | 'value' = 'value') {
  const offset = point === 'key' ? keyOffsetOf(source, path) : offsetOf(source, path);
  return dataError(`${source.label}: ${formatPath(path)}${at(source, offset)}: ${message}`);
}
