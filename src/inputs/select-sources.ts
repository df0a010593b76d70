import type { Encoding, InputOrigin, InputSource, InputSpec, RoleSpec } from '../domain.js';
import { dataError, usageError } from '../errors.js';
import { parseSecretRef } from '../secrets/reference.js';
import { ALL_INPUTS, flagStem, INPUT_FLAG_KINDS } from './catalog.js';
import { foreignSettingFlag, readSettings, type Env, type Flags, type StartSettings } from './settings.js';

/** What the command line and the environment ask for, before anything is fetched or read. */
export interface StartRequest extends StartSettings {
  readonly sources: readonly InputSource[];
}

function parseEncoding(spec: InputSpec, env: Env, flags: Flags): Encoding {
  const flag = flags[`${flagStem(spec)}-encoding`];
  const value = flag ?? env[`${spec.name}_ENCODING`];
  if (value === undefined || value === '') return spec.defaultEncoding;
  if (value === 'raw' || value === 'base64' || value === 'auto') return value;
  const where = flag !== undefined ? `--${flagStem(spec)}-encoding` : `${spec.name}_ENCODING`;
  throw usageError(`${where}: must be raw, base64 or auto`);
}

type Candidate = { where: string; origin: InputOrigin; value?: Buffer };

function candidates(spec: InputSpec, env: Env, flags: Flags): Candidate[] {
  const stem = flagStem(spec);
  const found: Candidate[] = [];
  const inline = env[spec.name];
  if (inline !== undefined) {
    found.push({ where: `env ${spec.name}`, origin: { type: 'env', variable: spec.name }, value: Buffer.from(inline, 'utf8') });
  }
  const refs: [string, string | undefined][] = [
    [`env ${spec.name}_SECRET`, env[`${spec.name}_SECRET`]],
    [`--${stem}-secret`, flags[`${stem}-secret`]],
  ];
  for (const [where, text] of refs) {
    if (text === undefined) continue;
    if (text === '') throw usageError(`${spec.name}: ${where} is set but empty`);
    const parsed = parseSecretRef(text);
    if (!parsed.ok) throw dataError(`${spec.name}: ${where} ${parsed.reason}`, parsed.hint);
    found.push({ where, origin: { type: 'secret', ref: parsed.ref, via: where } });
  }
  const files: [string, string | undefined][] = [
    [`env ${spec.name}_FILE`, env[`${spec.name}_FILE`]],
    [`--${stem}-file`, flags[`${stem}-file`]],
  ];
  for (const [where, path] of files) {
    if (path === undefined) continue;
    if (path === '') throw usageError(`${spec.name}: ${where} is set but empty`);
    found.push({ where, origin: { type: 'file', path, via: where } });
  }
  return found;
}

/** An input's flag given to a role that does not read that input, e.g. `--piped-key-*` to server. */
function foreignInputFlag(role: RoleSpec, flags: Flags): string | undefined {
  const own = new Set(role.inputs.map((i) => flagStem(i.spec)));
  const foreign = ALL_INPUTS.find(
    (spec) => !own.has(flagStem(spec)) && INPUT_FLAG_KINDS.some((kind) => `${flagStem(spec)}-${kind}` in flags),
  );
  return foreign && `--${flagStem(foreign)}-*`;
}

/** Pure: decides, for each input of the role, its one source, and reads the settings. */
export function selectSources(role: RoleSpec, env: Env, flags: Flags): StartRequest {
  const foreign = foreignInputFlag(role, flags) ?? foreignSettingFlag(role, flags);
  if (foreign) throw usageError(`${foreign} is not an option of role ${role.name}`, `run pipecd-bootstrap --help`);
  const sources: InputSource[] = [];
  for (const { spec, required } of role.inputs) {
    const found = candidates(spec, env, flags);
    if (found.length > 1) {
      throw dataError(`${spec.name}: given by both ${found[0]!.where} and ${found[1]!.where}`, 'give each input exactly one source');
    }
    const [only] = found;
    if (!only) {
      if (!required) continue;
      throw usageError(
        `${spec.name} is required for role ${role.name}`,
        `set ${spec.name}, ${spec.name}_SECRET or ${spec.name}_FILE (or --${flagStem(spec)}-secret / --${flagStem(spec)}-file)`,
      );
    }
    const encoding = parseEncoding(spec, env, flags);
    sources.push({ spec, origin: only.origin, encoding, ...(only.value ? { value: only.value } : {}) });
  }
  return { sources, ...readSettings(role, env, flags) };
}
