import * as z from 'zod/mini';
import { problemAt, type YamlPath, type YamlSource } from './yaml-document.js';

/** Messages say what is wrong with the shape, never what the value was. */
const describe = (iss: { input?: unknown; expected?: string }) =>
  iss.input === undefined
    ? 'is required'
    : `must be ${iss.expected === 'array' ? 'a list' : iss.expected === 'object' ? 'a mapping' : `a ${iss.expected}`}`;

export const requiredString = () => z.string({ error: describe }).check(z.minLength(1, 'must not be empty'));
export const optionalString = () => z.optional(z.string({ error: describe }));
export const mapping = <T extends z.core.$ZodLooseShape>(shape: T) => z.looseObject(shape, { error: describe });
export const strictMapping = <T extends z.core.$ZodLooseShape>(shape: T) => z.strictObject(shape, { error: describe });
export const list = <T extends z.core.SomeType>(item: T) => z.array(item, { error: describe });
/** A PipeCD config: only apiVersion, kind and spec at the top. */
export const pipecdDocument = <T extends z.core.SomeType>(kind: string, spec: T) =>
  strictMapping({
    apiVersion: z.literal('pipecd.dev/v1beta1', { error: 'must be pipecd.dev/v1beta1' }),
    kind: z.literal(kind, { error: `must be ${kind}` }),
    spec,
  });

/** PipeCD decodes with encoding/json, where a null field is a field not set: a mapping's null entries are dropped. */
function withoutNullEntries(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullEntries);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).flatMap(([key, v]) => (v === null ? [] : [[key, withoutNullEntries(v)]])));
}

/**
 * Checks `value` against `schema` and throws the first problem as one line naming the input, the
 * YAML path, the line and the column.
 */
export function validateWith(schema: z.core.$ZodType, source: YamlSource, value: unknown): void {
  const result = z.safeParse(schema, withoutNullEntries(value));
  if (result.success) return;
  const issues = result.error.issues;
  const first = issues[0]!;
  let path: YamlPath = first.path.filter((p): p is string | number => typeof p !== 'symbol');
  let message = first.message;
  const unknownKey = first.code === 'unrecognized_keys';
  if (unknownKey) {
    path = [...path, first.keys[0]!];
    message = 'is not a known key here';
  }
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  throw problemAt(source, path, message + more, unknownKey ? 'key' : 'value');
}
