import { CST, isMap, isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import { readsAsString } from './yaml-document.js';

/**
 * Edits to a config's source text that touch nothing but their own bytes. A value is changed on
 * its CST token (CST.setScalarValue keeps its quoting where it can, its comment and line end) and
 * the token printed back over its old bytes; keys are added on a line of their own at the indent of
 * their siblings (or after a comma in a flow mapping), and removed with their line. Everything
 * else (comments, quoting, flow style, long lines, `0755`, `1e3`) stays as it was. A new value is
 * written plain where it reads back as the same string, and double-quoted where YAML 1.1 would read
 * it as something else (a database named `123` or `on`).
 */
export interface Edit {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

type ScalarToken = CST.FlowScalar | CST.BlockScalar;
const SCALAR_TOKENS = new Set(['scalar', 'single-quoted-scalar', 'double-quoted-scalar', 'block-scalar']);

function scalarToken(node: Node | null | undefined): ScalarToken | undefined {
  const token = (node as { srcToken?: CST.Token } | null | undefined)?.srcToken;
  return token && SCALAR_TOKENS.has(token.type) ? (token as ScalarToken) : undefined;
}

/** Whether setScalar() can change this node in place. */
export const isEditableScalar = (node: Node | null | undefined): boolean => isScalar(node) && scalarToken(node) !== undefined;

/** The scalar's token, given a new value (a block scalar becomes a flow scalar on one line). */
export function setScalar(node: Node, value: string, implicitKey = false): Edit {
  const token = scalarToken(node)!;
  const before = CST.stringify(token);
  const edited = structuredClone(token);
  CST.setScalarValue(edited, value, { implicitKey, ...(token.type === 'block-scalar' ? { type: 'QUOTE_DOUBLE' as const } : {}) });
  if (!readsAsString(CST.stringify(edited), value)) CST.setScalarValue(edited, value, { implicitKey, type: 'QUOTE_DOUBLE' });
  return { from: token.offset, to: token.offset + before.length, text: CST.stringify(edited) };
}

const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
function afterLineEnd(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset;
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}
const rangeOf = (node: unknown) => (node as { range?: [number, number, number] } | null | undefined)?.range;
const endOf = (pair: Pair) => rangeOf(pair.value)?.[2] ?? rangeOf(pair.key)![2];

/** Removes a pair: its whole line(s) in a block mapping, the entry and its comma in a flow mapping. */
export function removePair(text: string, map: YAMLMap, pair: Pair): Edit {
  const keyStart = rangeOf(pair.key)![0];
  if (map.flow) {
    const i = map.items.indexOf(pair);
    const valueEnd = rangeOf(pair.value)?.[1] ?? rangeOf(pair.key)![1];
    if (i > 0) return { from: rangeOf(map.items[i - 1]!.value)?.[1] ?? rangeOf(map.items[i - 1]!.key)![1], to: valueEnd, text: '' };
    const next = map.items[1];
    return { from: keyStart, to: next ? rangeOf(next.key)![0] : valueEnd, text: '' };
  }
  const start = lineStart(text, keyStart);
  const from = /^[ \t]*$/.test(text.slice(start, keyStart)) ? start : keyStart;
  return { from, to: afterLineEnd(text, endOf(pair)), text: '' };
}

function scalarText(value: string, inFlow: boolean): string {
  const plain = CST.stringify(CST.createScalarToken(value, { indent: 0, inFlow, implicitKey: false, end: [] }));
  if (readsAsString(plain, value)) return plain;
  return CST.stringify(CST.createScalarToken(value, { indent: 0, inFlow, implicitKey: false, end: [], type: 'QUOTE_DOUBLE' }));
}

/** Adds `key: value` as the last entry of a mapping. */
export function addPair(text: string, map: YAMLMap, key: string, value: string): Edit {
  if (!isMap(map)) throw new Error('addPair needs a mapping');
  // An empty mapping can only be a flow one (`{}`): the pair goes inside its braces.
  if (map.items.length === 0) {
    const at = rangeOf(map)![0] + 1;
    return { from: at, to: at, text: `${key}: ${scalarText(value, true)}` };
  }
  const last = map.items[map.items.length - 1]!;
  if (map.flow) {
    const at = rangeOf(last.value)?.[1] ?? rangeOf(last.key)![1];
    return { from: at, to: at, text: `, ${key}: ${scalarText(value, true)}` };
  }
  const firstKey = rangeOf(map.items[0]!.key)![0];
  const indent = ' '.repeat(firstKey - lineStart(text, firstKey));
  const at = afterLineEnd(text, endOf(last));
  const newline = at === text.length && !text.endsWith('\n') ? '\n' : '';
  return { from: at, to: at, text: `${newline}${indent}${key}: ${scalarText(value, false)}\n` };
}

/** Applies non-overlapping edits to the text; insertions at one place keep the order they were made in. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  const order = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.from - a.e.from || b.e.to - a.e.to || b.i - a.i);
  for (const { e } of order) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}
