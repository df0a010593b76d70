import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

/**
 * The plain value of a document as PipeCD sees it: sigs.k8s.io/yaml's YAMLToJSON over go-yaml v2,
 * which differs from the `yaml` library's own toJS() in two ways that decide whether a config
 * loads. A merge key (`<<`) overwrites the keys written before it and is overwritten by the keys
 * after it (go-yaml v2 merges in document order; of a list of merged maps, the first wins); and
 * keys become strings (`on:` is the key "true"). Aliases resolve to their anchored node.
 *
 * Every object and list keeps where its entries came from (see Origins), so that an error can point
 * at the line that holds the value, even when it came through an alias or a merge key.
 */

export type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

/** Where one entry of a mapping came from. */
export interface Entry {
  /** The mapping that holds the pair (for a merged key: the merged mapping). */
  readonly map: YAMLMap;
  readonly pair: Pair;
  /** The value node after aliases are resolved; undefined for an empty value. */
  readonly node: Node | undefined;
  /** The entry came into its mapping through a merge key, or its value through an alias. */
  readonly indirect: boolean;
}

export interface Origins {
  readonly entries: WeakMap<object, Map<string, Entry>>;
  readonly items: WeakMap<object, { node: Node | undefined; indirect: boolean }[]>;
}

export class GoYamlError extends Error {
  constructor(
    message: string,
    readonly node: Node | undefined,
  ) {
    super(message);
  }
}

/** Alias expansion is capped so that a "billion laughs" document fails instead of eating memory. */
export const MAX_ALIAS_NODES = 10_000;

export function toGoPlain(doc: Document.Parsed): { plain: Plain; origins: Origins } {
  const origins: Origins = { entries: new WeakMap(), items: new WeakMap() };
  let aliased = 0;

  const deref = (node: unknown): { node: Node | undefined; indirect: boolean } => {
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) throw new GoYamlError('an alias refers to an anchor that is not defined before it', node);
      return { node: target as Node, indirect: true };
    }
    return { node: (node ?? undefined) as Node | undefined, indirect: false };
  };

  const keyString = (node: unknown): string => {
    const { node: key } = deref(node);
    const value = isScalar(key) ? key.value : key;
    if (typeof value === 'string') return value;
    if (typeof value === 'boolean' || typeof value === 'number' || typeof value === 'bigint') return String(value);
    throw new GoYamlError('a key that is not a string, number or boolean (YAMLToJSON refuses it)', key);
  };

  const convert = (node: Node | undefined, indirect: boolean): Plain => {
    if (indirect && ++aliased > MAX_ALIAS_NODES) throw new GoYamlError('', undefined);
    if (node === undefined) return null;
    if (isScalar(node)) {
      const v = node.value;
      if (typeof v === 'bigint') return Number(v);
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
      return String(v);
    }
    if (isSeq(node)) {
      const out: Plain[] = [];
      const where: { node: Node | undefined; indirect: boolean }[] = [];
      for (const item of node.items) {
        const d = deref(item);
        out.push(convert(d.node, indirect || d.indirect));
        where.push({ node: d.node, indirect: indirect || d.indirect });
      }
      origins.items.set(out, where);
      return out;
    }
    if (isMap(node)) {
      const out: { [key: string]: Plain } = {};
      const where = new Map<string, Entry>();
      const set = (key: string, value: Plain, entry: Entry) => {
        out[key] = value;
        where.set(key, entry);
      };
      for (const pair of node.items) {
        if (isScalar(pair.key) && typeof pair.key.value === 'symbol') {
          mergeInto(pair, set);
          continue;
        }
        const key = keyString(pair.key);
        const d = deref(pair.value);
        set(key, convert(d.node, indirect || d.indirect), { map: node, pair, node: d.node, indirect: indirect || d.indirect });
      }
      origins.entries.set(out, where);
      return out;
    }
    throw new GoYamlError('an unsupported node', node);
  };

  const mergeInto = (pair: Pair, set: (key: string, value: Plain, entry: Entry) => void) => {
    const source = deref(pair.value);
    const maps = isSeq(source.node) ? [...source.node.items].reverse().map((i) => deref(i)) : [source];
    for (const m of maps) {
      if (!isMap(m.node)) throw new GoYamlError('a merge key (<<) needs a mapping or a list of mappings', m.node ?? (pair.key as Node));
      const merged = convert(m.node, true) as { [key: string]: Plain };
      const from = origins.entries.get(merged)!;
      for (const [key, value] of Object.entries(merged)) set(key, value, { ...from.get(key)!, indirect: true });
    }
  };

  // json.Marshal refuses what JSON cannot hold, but only in the value that stays (a duplicate key
  // or a merge key may have replaced it).
  const nonFinite = (value: Plain, node: Node | undefined): void => {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new GoYamlError('a value that is infinite or not a number (JSON cannot hold it)', node);
    if (Array.isArray(value)) value.forEach((v, i) => nonFinite(v, origins.items.get(value)?.[i]?.node));
    else if (value !== null && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) nonFinite(v, origins.entries.get(value)?.get(k)?.node);
  };

  const root = deref(doc.contents);
  const plain = convert(root.node, root.indirect);
  nonFinite(plain, root.node);
  return { plain, origins };
}
