import type { Encoding, InputOrigin, InputSource, InputSpec, Settings } from '../domain.js';
import type { RoleSpec, SettingName } from '../entrypoints/role.js';
import { dataError, usageError } from '../errors.js';
import { isAbsolute } from 'node:path';
import { isValidHost } from '../render/datastore-url.js';
import { parseSecretRef } from '../secrets/reference.js';
import { ALL_INPUTS, flagStem } from './catalog.js';

export type Env = Readonly<Record<string, string | undefined>>;
export type Flags = Readonly<Record<string, string>>;

export const DEFAULT_OUTPUT_DIR = '/tmp/pipecd-bootstrap';
export const DEFAULT_TIMEOUT_SECONDS = 30;

const SETTING_FLAGS: Record<SettingName, string> = { DATASTORE_HOST: 'datastore-host', CACHE_ADDRESS: 'cache-address' };

/** Variables the bootstrapper reads; none of them reaches the program's environment. */
export const BOOTSTRAP_VARIABLES: readonly string[] = [
  ...ALL_INPUTS.flatMap((spec) => ['', '_SECRET', '_FILE', '_ENCODING'].map((suffix) => spec.name + suffix)),
  'DATASTORE_HOST',
  'CACHE_ADDRESS',
  'PIPECD_BOOTSTRAP_DIR',
  'PIPECD_BINARY',
  'PIPECD_BOOTSTRAP_TIMEOUT',
  'PIPECD_BOOTSTRAP_LOG_ENCODING',
  'PIPECD_BOOTSTRAP_ROLE',
];

/** What the command line and the environment ask for, before anything is fetched or read. */
export interface StartRequest {
  readonly sources: readonly InputSource[];
  readonly settings: Settings;
  readonly outputDir: string;
  readonly binary: string | undefined;
  readonly timeoutMs: number;
}

/** A flag wins over its environment variable for settings; for inputs, two places is an error. */
function setting(env: Env, flags: Flags, variable: string, flag: string): string | undefined {
  const value = flags[flag] ?? env[variable];
  return value === '' ? undefined : value;
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

function flagsOutsideRole(role: RoleSpec, flags: Flags): string | undefined {
  const own = new Set(role.inputs.map((i) => flagStem(i.spec)));
  const foreignInput = ALL_INPUTS.find((spec) => !own.has(flagStem(spec)) && ['secret', 'file', 'encoding'].some((w) => `${flagStem(spec)}-${w}` in flags));
  if (foreignInput) return `--${flagStem(foreignInput)}-*`;
  const foreignSetting = (Object.keys(SETTING_FLAGS) as SettingName[]).find((s) => !role.settings.includes(s) && SETTING_FLAGS[s] in flags);
  return foreignSetting && `--${SETTING_FLAGS[foreignSetting]}`;
}

function parseTimeout(env: Env, flags: Flags): number {
  const text = setting(env, flags, 'PIPECD_BOOTSTRAP_TIMEOUT', 'timeout');
  if (text === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const seconds = Number(text.endsWith('s') ? text.slice(0, -1) : text);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw usageError('PIPECD_BOOTSTRAP_TIMEOUT (--timeout): must be a number of seconds between 0 and 3600, e.g. 30 or 30s');
  }
  return Math.round(seconds * 1000);
}

/** Pure: decides, for each input of the role, its one source, and reads the settings. */
export function selectSources(role: RoleSpec, env: Env, flags: Flags): StartRequest {
  const foreign = flagsOutsideRole(role, flags);
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
  const datastoreHost = role.settings.includes('DATASTORE_HOST') ? setting(env, flags, 'DATASTORE_HOST', 'datastore-host') : undefined;
  const cacheAddress = role.settings.includes('CACHE_ADDRESS') ? setting(env, flags, 'CACHE_ADDRESS', 'cache-address') : undefined;
  if (datastoreHost !== undefined && !isValidHost(datastoreHost)) {
    throw usageError('DATASTORE_HOST (--datastore-host): must be a host name or [IPv6] address, without a port', 'the port in spec.datastore.config.url is kept');
  }
  const outputDir = setting(env, flags, 'PIPECD_BOOTSTRAP_DIR', 'output-dir') ?? DEFAULT_OUTPUT_DIR;
  if (!isAbsolute(outputDir)) throw usageError('PIPECD_BOOTSTRAP_DIR (--output-dir): must be an absolute path');
  return {
    sources,
    settings: { datastoreHost, cacheAddress },
    outputDir,
    binary: setting(env, flags, 'PIPECD_BINARY', 'binary'),
    timeoutMs: parseTimeout(env, flags),
  };
}

/** The environment the program gets: the container's, without anything meant for the bootstrapper. */
export function programEnvironment(env: Env): Record<string, string> {
  const drop = new Set(BOOTSTRAP_VARIABLES);
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && !drop.has(name)) kept[name] = value;
  return kept;
}
