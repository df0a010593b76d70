/**
 * How Go's encoding/json finds the struct field for an object key, as PipeCD decodes its configs:
 * the key's exact name, or else a case-insensitive match (Go folds the Kelvin sign to `k` and the
 * long s to `s` too). YAMLToJSON writes the keys sorted, and every key that matches a field assigns
 * it in that order, so the last one wins; a null assigns nothing.
 */

export type JsonObject = { readonly [key: string]: unknown };

export const isJsonObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export function foldName(name: string): string {
  let out = '';
  for (const ch of name) out += ch === '\u212a' ? 'k' : ch === '\u017f' ? 's' : ch < '\u0080' ? ch.toLowerCase() : ch;
  return out;
}

/** Go's sort order for map keys (bytes of UTF-8), which YAMLToJSON's json.Marshal uses. */
function goKeyOrder(keys: readonly string[]): string[] {
  return [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** Every key of `obj` that encoding/json would assign to `field`, in the order it assigns them. */
export function keysForField(obj: JsonObject, field: string): string[] {
  const folded = foldName(field);
  return goKeyOrder(Object.keys(obj)).filter((k) => k === field || foldName(k) === folded);
}

/** The key whose value ends up in `field` (the last non-null one), or undefined when the field stays unset. */
export function winningKey(obj: JsonObject, field: string): string | undefined {
  return keysForField(obj, field)
    .filter((k) => obj[k] !== null)
    .at(-1);
}
