import { isDeepStrictEqual } from 'node:util';
import { isAlias, isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import { dataError } from '../errors.js';
import { foldName, isJsonObject, keysForField, winningKey } from './go-json.js';
import type { Plain } from './go-yaml.js';
import { addPair, applyEdits, isEditableScalar, removePair, setScalar, type Edit } from './yaml-edit.js';
import { at, formatPath, locate, parseYaml, problemAt, type YamlPath, type YamlSource } from './yaml-document.js';

/**
 * A rewrite of a config: source-text edits (yaml-edit.ts) and the plain value the edited text must
 * read back as. Keys are found as PipeCD finds them (`dataStore`, `pipedkeydata`); a value that comes
 * through an alias or a merge key is edited where it is anchored, and the read-back check refuses
 * the result if that changed anything else.
 */
export class Rewrite {
  private readonly edits: Edit[] = [];
  private readonly expected: Plain;
  private indirect = false;

  constructor(
    readonly source: YamlSource,
    /** Why the rewrite happens, for messages: `DATASTORE_HOST is set`. */
    readonly why: string,
  ) {
    this.expected = structuredClone(source.plain);
  }

  /** The source path of a struct field, each key found as encoding/json finds it; undefined past a missing key. */
  path(fields: readonly string[]): YamlPath | undefined {
    const out: string[] = [];
    let value: Plain = this.source.plain;
    for (const field of fields) {
      if (!isJsonObject(value)) return undefined;
      const key = winningKey(value, field);
      if (key === undefined) return undefined;
      out.push(key);
      value = (value as Record<string, Plain>)[key]!;
    }
    return out;
  }

  problem(path: YamlPath, message: string) {
    return problemAt(this.source, path, message);
  }

  value(path: YamlPath): Plain | undefined {
    let v: Plain | undefined = this.source.plain;
    for (const part of path) v = isJsonObject(v) ? (v as Record<string, Plain>)[part as string] : undefined;
    return v;
  }

  /** The mapping node at `path`, where keys can be added. */
  private mapAt(path: YamlPath): YAMLMap {
    const where = locate(this.source, path);
    const node = path.length === 0 ? this.source.doc.contents : where.entries.at(-1)?.node;
    if (!where.found || !isMap(node)) throw problemAt(this.source, path, 'must be a mapping');
    if (where.entries.some((e) => e.indirect) || node.anchor) this.indirect = true;
    return node;
  }

  private expect(path: YamlPath, change: (parent: Record<string, Plain>, key: string) => void): void {
    let v: Plain = this.expected;
    for (const part of path.slice(0, -1)) v = (v as Record<string, Plain>)[part as string]!;
    change(v as Record<string, Plain>, path.at(-1) as string);
  }

  /** Sets field `field` of the mapping at `mapPath` to a string: the value in place, or a new key. */
  set(mapPath: YamlPath, field: string, value: string): void {
    const parent = this.value(mapPath);
    const key = isJsonObject(parent) ? winningKey(parent, field) : undefined;
    if (key === undefined) {
      const map = this.mapAt(mapPath);
      this.edits.push(addPair(this.source.text, map, field, value));
      this.expect([...mapPath, field], (p, k) => (p[k] = value));
      return;
    }
    const where = locate(this.source, [...mapPath, key]);
    const entry = where.entries.at(-1)!;
    if (!isEditableScalar(entry.node)) throw problemAt(this.source, [...mapPath, key], `must be a string when ${this.why}`);
    if (where.entries.some((e) => e.indirect) || entry.node!.anchor) this.indirect = true;
    this.edits.push(setScalar(entry.node!, value));
    this.expect([...mapPath, key], (p, k) => (p[k] = value));
  }

  /**
   * Removes every key of the mapping at `mapPath` that sets `field`, duplicates included. A merge
   * key that brings one in is refused: the merged value would take the removed key's place.
   */
  remove(mapPath: YamlPath, field: string): void {
    const parent = this.value(mapPath);
    if (!isJsonObject(parent) || keysForField(parent, field).length === 0) return;
    const map = this.mapAt(mapPath);
    const folded = foldName(field);
    const names = (m: unknown): string[] => (isMap(m) ? m.items.map((p) => String(isScalar(p.key) ? p.key.value : '')) : []);
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      if (typeof key === 'symbol') {
        const merged = isAlias(pair.value) ? pair.value.resolve(this.source.doc) : pair.value;
        const maps = isSeq(merged) ? merged.items.map((i) => (isAlias(i) ? i.resolve(this.source.doc) : i)) : [merged];
        if (maps.some((m) => names(m).some((n) => n === field || foldName(n) === folded))) {
          const where = at(this.source, (pair.key as { range?: [number, number, number] } | null)?.range?.[0]);
          throw dataError(
            `${this.source.label}: ${formatPath(mapPath)}${where}: has a YAML merge key that brings in ${field}, which cannot be removed when ${this.why}; write the mapping without it`,
          );
        }
      } else if (typeof key === 'string' && (key === field || foldName(key) === folded)) {
        this.edits.push(removePair(this.source.text, map, pair));
      }
    }
    for (const key of keysForField(parent, field)) this.expect([...mapPath, key], (p, k) => delete p[k]);
  }

  /**
   * The edited config, read back and compared with what the rewrite meant: anything else that
   * changed (an anchor shared with another value, an edit gone wrong) refuses the rewrite.
   */
  apply(): YamlSource {
    const text = applyEdits(this.source.text, this.edits);
    const reread = parseYaml(text, this.source.label);
    if (!isDeepStrictEqual(reread.plain, this.expected)) {
      throw dataError(
        this.indirect
          ? `${this.source.label}: a value to rewrite (${this.why}) is shared through a YAML anchor with other places in the config; rewriting it would change them too`
          : `${this.source.label}: the rewritten config does not read back the same; refusing to write it`,
        this.indirect ? 'write the value in place instead of through an anchor and alias' : undefined,
      );
    }
    return reread;
  }
}
