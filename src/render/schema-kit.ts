import * as z from 'zod/mini';
import { isJsonObject, keysForField, winningKey, type JsonObject } from './go-json.js';
import { problemAt, type YamlPath, type YamlSource } from './yaml-document.js';

/** Messages say what is wrong with the shape, never what the value was. */
const describe = (iss: { input?: unknown; expected?: string }) =>
  iss.input === undefined
    ? 'is required'
    : `must be ${iss.expected === 'array' ? 'a list' : iss.expected === 'object' ? 'a mapping' : iss.expected === 'int' ? 'a whole number' : `a ${iss.expected}`}`;

// One instance of each leaf schema, shared by every field that takes it: a zod schema holds no state
// of a parse, and each instance is some 25 closures that every start would deserialize from the
// startup snapshot (a fresh pair per field made zod two thirds of the snapshot's functions).
const REQUIRED_STRING = z.string({ error: describe }).check(z.minLength(1, 'must not be empty'));
const OPTIONAL_STRING = z.optional(z.string({ error: describe }));
const OPTIONAL_BOOL = z.optional(z.boolean({ error: describe }));
const OPTIONAL_INT = z.optional(z.int({ error: describe }));
export const requiredString = () => REQUIRED_STRING;
export const optionalString = () => OPTIONAL_STRING;
export const optionalBool = () => OPTIONAL_BOOL;
export const optionalInt = () => OPTIONAL_INT;
/**
 * Fields of a Go type with its own UnmarshalJSON: encoding/json hands it a null too (instead of
 * leaving the field unset), and PipeCD's Duration refuses null.
 */
const TAKES_NULL = new WeakSet<z.core.$ZodType>();

/** Fields PipeCD decodes into a json.RawMessage first (the top-level spec): a key that loses may hold anything. */
const RAW_MESSAGE = new WeakSet<z.core.$ZodType>();

/**
 * A field Go reads from a number or from a string of a form: one message for both, put on the
 * pattern too, since a string that fails it is refused by that check (zod's "Invalid input"), not
 * by the union.
 */
export const numberOrText = (number: z.ZodMiniNumber<number>, pattern: RegExp, message: string) =>
  z.union([number, z.string().check(z.regex(pattern, { error: message }))], { error: message });

/** time.ParseDuration's units, longest first where one begins another (`ms` before `m`). */
const UNITS = 'ns|us|µs|μs|ms|s|m|h';
/** PipeCD's Duration: a number of nanoseconds, or a string that Go's time.ParseDuration reads; not null. */
const GO_DURATION = new RegExp(`^[-+]?(?:0|(?:(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:${UNITS}))+)$`);
const OPTIONAL_DURATION = z.optional(numberOrText(z.number(), GO_DURATION, 'must be a duration such as 30s, 5m or 1h'));
TAKES_NULL.add(OPTIONAL_DURATION);
export const optionalDuration = () => OPTIONAL_DURATION;

const UNIT_NANOS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const INT64_MAX = 2n ** 63n - 1n;
/** One number and unit of a duration; matchAll copies the pattern, so one instance serves every call. */
const DURATION_PART = new RegExp(`([0-9]*)(?:\\.([0-9]*))?(${UNITS})`, 'g');

/**
 * Whether PipeCD's Duration is below zero: a number becomes time.Duration(float64), truncated toward
 * zero, and a string goes through time.ParseDuration, which adds each fraction as
 * int64(float64(f) * (float64(unit) / scale)) and so drops what is under a nanosecond. `-0.5` and
 * `-0.5ns` are 0 to piped, `-1.5ns` is -1ns. A string GO_DURATION refuses is left to that check.
 */
export function goDurationIsNegative(value: number | string | undefined): boolean {
  if (typeof value !== 'string') return Math.trunc(value ?? 0) < 0;
  if (!value.startsWith('-') || !GO_DURATION.test(value)) return false;
  for (const [, whole, fraction = '', unit] of value.matchAll(DURATION_PART)) {
    if (/[1-9]/.test(whole!)) return true;
    // leadingFraction: the digits after one that would overflow are skipped.
    let f = 0n;
    let scale = 1;
    for (const digit of fraction) {
      const next = f * 10n + BigInt(digit);
      if (f > INT64_MAX / 10n || next > INT64_MAX + 1n) break;
      f = next;
      scale *= 10;
    }
    if (Math.trunc(Number(f) * (UNIT_NANOS[unit!]! / scale)) >= 1) return true;
  }
  return false;
}
export const list = <T extends z.core.SomeType>(item: T) => z.optional(z.array(item, { error: describe }));

/**
 * A Go struct as encoding/json fills it: each field takes the key that names it exactly or
 * case-insensitively (the last of them wins, see go-json.ts), a null leaves the field unset, and
 * other keys are refused where PipeCD's decoder has DisallowUnknownFields (`unknown: 'refuse'`) and
 * ignored where it does not (a custom UnmarshalJSON calls json.Unmarshal afresh). `match: 'exact'`
 * is for the few keys PipeCD reads from a map by their exact name.
 */
export function struct<T extends z.core.$ZodLooseShape>(shape: T, options: { unknown: 'refuse' | 'allow'; match?: 'json' | 'exact' }) {
  const fields = Object.keys(shape);
  const keysOf = (obj: JsonObject, field: string) =>
    options.match === 'exact' ? (Object.hasOwn(obj, field) ? [field] : []) : keysForField(obj, field);
  const toFields = (value: unknown, ctx: z.core.ParsePayload<unknown>): unknown => {
    if (!isJsonObject(value)) return value;
    const out: Record<string, unknown> = {};
    const known = new Set<string>();
    for (const field of fields) {
      const keys = keysOf(value, field);
      keys.forEach((k) => known.add(k));
      // Every key that names the field is decoded into it, in order: the last one stays, and a
      // type error in any of them fails the decode.
      const assigned = TAKES_NULL.has(shape[field] as z.core.$ZodType) ? keys : keys.filter((k) => value[k] !== null);
      const winner = assigned.at(-1);
      if (winner === undefined) continue;
      out[field] = value[winner];
      for (const loser of assigned.slice(0, -1)) {
        const problem = goTypeProblem(shape[field] as z.core.$ZodType, value[loser]);
        if (problem) ctx.issues.push({ code: 'custom', message: problem, path: [loser], input: value[loser] });
      }
    }
    if (options.unknown === 'refuse') for (const key of Object.keys(value)) if (!known.has(key)) out[key] = value[key];
    return out;
  };
  const object = options.unknown === 'refuse' ? z.strictObject(shape, { error: describe }) : z.looseObject(shape, { error: describe });
  return z.pipe(z.transform(toFields), object);
}

/**
 * What encoding/json checks of a value it decodes into a field and then overwrites (a key that
 * loses to a later one): its JSON type, and everything a custom UnmarshalJSON checks.
 */
function goTypeProblem(schema: z.core.$ZodType, value: unknown): string | undefined {
  if (RAW_MESSAGE.has(schema)) return undefined;
  if (TAKES_NULL.has(schema)) {
    const r = z.safeParse(schema, value);
    return r.success ? undefined : r.error.issues[0]!.message;
  }
  const def = schema._zod.def as {
    type: string;
    innerType?: z.core.$ZodType;
    in?: z.core.$ZodType;
    out?: z.core.$ZodType;
    values?: unknown[];
    format?: string;
  };
  switch (def.type) {
    case 'optional':
      return goTypeProblem(def.innerType!, value);
    case 'pipe':
      return goTypeProblem(def.in!, value) ?? goTypeProblem(def.out!, value);
    case 'string':
    case 'enum':
      return typeof value === 'string' ? undefined : 'must be a string';
    case 'literal':
      return typeof value === typeof def.values![0] ? undefined : `must be a ${typeof def.values![0]}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be a boolean';
    case 'number':
      return typeof value === 'number' && (def.format !== 'safeint' || Number.isInteger(value)) ? undefined : 'must be a number';
    case 'object':
      return isJsonObject(value) ? undefined : 'must be a mapping';
    case 'array':
      return Array.isArray(value) ? undefined : 'must be a list';
    default:
      return undefined;
  }
}

/** Like struct(), for a field that may be absent or null. */
export const optionalStruct = <T extends z.core.$ZodLooseShape>(shape: T, options: Parameters<typeof struct>[1]) =>
  z.optional(struct(shape, options));

/**
 * A struct with a custom UnmarshalJSON in PipeCD that reads `type` first and then decodes `config`
 * into the struct for that type (ControlPlaneDataStore, ControlPlaneFileStore: unknown keys pass).
 */
export function byType(types: Record<string, z.core.SomeType>) {
  const names = Object.keys(types);
  const options = names.map((t) => z.looseObject({ type: z.literal(t), config: types[t]! })) as unknown as [
    z.core.$ZodTypeDiscriminable,
    ...z.core.$ZodTypeDiscriminable[],
  ];
  return z.pipe(
    struct({ type: z.optional(z.string({ error: describe })), config: z.optional(z.unknown()) }, { unknown: 'allow' }),
    z.discriminatedUnion('type', options, {
      error: (iss) => (iss.code === 'invalid_union' ? `must be one of ${names.join(', ')}` : undefined),
    }) as unknown as z.core.$ZodType<unknown, { type?: string; config?: unknown }>,
  );
}

/** A PipeCD config: apiVersion, kind and spec at the top (unknown keys refused unless `unknown: 'allow'`, as pkg/configv1 does). */
export function pipecdDocument<T extends z.core.SomeType>(kind: string, spec: T, unknown: 'refuse' | 'allow' = 'refuse') {
  RAW_MESSAGE.add(spec as unknown as z.core.$ZodType);
  return struct(
    {
      apiVersion: z.literal('pipecd.dev/v1beta1', { error: 'must be pipecd.dev/v1beta1' }),
      kind: z.literal(kind, { error: `must be ${kind}` }),
      spec,
    },
    { unknown },
  );
}

/** The issue path in field names, turned back into the keys the YAML holds (`dataStore`, `URL`). */
function sourcePath(plain: unknown, path: readonly PropertyKey[]): YamlPath {
  const out: (string | number)[] = [];
  let value = plain;
  for (const part of path) {
    if (typeof part === 'number') {
      out.push(part);
      value = Array.isArray(value) ? value[part] : undefined;
      continue;
    }
    const name = String(part);
    const key =
      !isJsonObject(value) || Object.hasOwn(value, name) ? name : (winningKey(value, name) ?? keysForField(value, name).at(-1) ?? name);
    out.push(key);
    value = isJsonObject(value) ? value[key] : undefined;
  }
  return out;
}

/**
 * Checks `value` against `schema` and throws the first problem as one line naming the input, the
 * YAML path, the line and the column.
 */
export function validateWith(schema: z.core.$ZodType, source: YamlSource, value: unknown): void {
  const result = z.safeParse(schema, value);
  if (result.success) return;
  const issues = result.error.issues;
  const first = issues[0]!;
  let path = sourcePath(value, first.path);
  let message = first.message;
  const unknownKey = first.code === 'unrecognized_keys';
  if (unknownKey) {
    path = [...path, first.keys[0]!];
    message = 'is not a known key here';
  }
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  throw problemAt(source, path, message + more, unknownKey ? 'key' : 'value');
}
