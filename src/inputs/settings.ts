import { isAbsolute } from 'node:path';
import type { LauncherConfigMode, Owner, RoleSettingName, RoleSpec, Settings } from '../domain.js';
import { usageError } from '../errors.js';
import { ALL_INPUTS, INPUT_SUFFIXES } from './catalog.js';
import { pathOrValue } from './reference-or-value.js';

export type Env = Readonly<Record<string, string | undefined>>;
export type Flags = Readonly<Record<string, string>>;

/**
 * One row per setting: its variable, its flag, its --help line and how its text becomes a value.
 * Flags, --help and the program's environment clean-up are all derived from this table.
 */
export interface SettingSpec<T> {
  readonly variable: string;
  /** The long flag without dashes; undefined for the role, which the command line gives as a word. */
  readonly flag: string | undefined;
  readonly placeholder: string;
  readonly help: string;
  /** Settings that only some roles take; each role lists those it takes. */
  readonly roleSetting?: RoleSettingName;
  /** From the text as given (unset or '' is undefined) to the value; a bad text is a usage error naming the setting. */
  parse(text: string | undefined, name: string): T;
}

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const IPV6 = /^\[[0-9A-Fa-f:.]+\]$/;

/** What DATASTORE_HOST may be: a DNS name or a bracketed IPv6 address, never with a port. */
export const isValidHost = (host: string): boolean => HOST_NAME.test(host) || IPV6.test(host);

/** A path that is quoted in messages later: one that looks like a value is refused now, unquoted. */
function aPath(text: string | undefined, name: string): string | undefined {
  const verdict = text === undefined ? undefined : pathOrValue(text);
  if (verdict && !verdict.ok) throw usageError(`${name}: ${verdict.why}, so it is taken for a value and not shown`, `${name} takes a path`);
  return text;
}

export const DEFAULT_OUTPUT_DIR = '/tmp/pipecd-bootstrap';
export const DEFAULT_TIMEOUT_SECONDS = 30;

export const SETTINGS = {
  datastoreHost: {
    variable: 'DATASTORE_HOST',
    flag: 'datastore-host',
    placeholder: 'HOST',
    help: 'replaces the host in spec.datastore.config.url (MYSQL)',
    roleSetting: 'DATASTORE_HOST',
    parse: (text: string | undefined, name: string) => {
      if (text !== undefined && !isValidHost(text)) {
        throw usageError(`${name}: must be a host name or [IPv6] address, without a port`, 'the port in spec.datastore.config.url is kept');
      }
      return text;
    },
  },
  cacheAddress: {
    variable: 'CACHE_ADDRESS',
    flag: 'cache-address',
    placeholder: 'ADDR',
    help: 'passed as --cache-address= (server, ops)',
    roleSetting: 'CACHE_ADDRESS',
    parse: (text: string | undefined) => text,
  },
  launcherConfig: {
    variable: 'PIPECD_BOOTSTRAP_LAUNCHER_CONFIG',
    flag: 'launcher-config',
    placeholder: 'MODE',
    help: 'auto (default): hand the launcher its config source when it can read it, for its reload; source; file',
    roleSetting: 'LAUNCHER_CONFIG',
    parse: (text: string | undefined, name: string): LauncherConfigMode => {
      if (text === undefined || text === 'auto' || text === 'source' || text === 'file') return text ?? 'auto';
      throw usageError(`${name}: must be auto, source or file`);
    },
  },
  outputDir: {
    variable: 'PIPECD_BOOTSTRAP_DIR',
    flag: 'output-dir',
    placeholder: 'DIR',
    help: `where files are written (default ${DEFAULT_OUTPUT_DIR})`,
    parse: (text: string | undefined, name: string) => {
      if (text !== undefined && !isAbsolute(text)) throw usageError(`${name}: must be an absolute path`);
      return aPath(text, name) ?? DEFAULT_OUTPUT_DIR;
    },
  },
  owner: {
    variable: 'PIPECD_BOOTSTRAP_OWNER',
    flag: 'owner',
    placeholder: 'UID[:GID]',
    help: "write: the files' owner (default: the program's user in its official image)",
    parse: (text: string | undefined, name: string): Owner | undefined => {
      if (text === undefined) return undefined;
      const match = /^(\d{1,10})(?::(\d{1,10}))?$/.exec(text);
      if (!match) throw usageError(`${name}: must be a numeric UID or UID:GID, e.g. 1000:1000`);
      return { uid: Number(match[1]), gid: Number(match[2] ?? match[1]) };
    },
  },
  binary: {
    variable: 'PIPECD_BINARY',
    flag: 'binary',
    placeholder: 'PATH|NAME',
    help: 'the program (default: found on PATH)',
    parse: aPath,
  },
  timeoutMs: {
    variable: 'PIPECD_BOOTSTRAP_TIMEOUT',
    flag: 'timeout',
    placeholder: 'SECONDS',
    help: `deadline for fetching secrets (default ${DEFAULT_TIMEOUT_SECONDS})`,
    parse: (text: string | undefined, name: string) => {
      if (text === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
      const seconds = Number(text.endsWith('s') ? text.slice(0, -1) : text);
      if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
        throw usageError(`${name}: must be a number of seconds between 0 and 3600, e.g. 30 or 30s`);
      }
      return Math.round(seconds * 1000);
    },
  },
  logEncoding: {
    variable: 'PIPECD_BOOTSTRAP_LOG_ENCODING',
    flag: 'log-encoding',
    placeholder: 'ENC',
    help: 'json (default) or humanize',
    parse: (text: string | undefined, name: string): 'json' | 'humanize' => {
      if (text === undefined || text === 'json' || text === 'humanize') return text ?? 'json';
      throw usageError(`${name}: must be json or humanize`);
    },
  },
  role: {
    variable: 'PIPECD_BOOTSTRAP_ROLE',
    flag: undefined,
    placeholder: 'ROLE',
    help: 'the role when the command line names none (set by the piped image)',
    // The value is checked against the roles by the command line parser, which reports it without echoing it.
    parse: (text: string | undefined) => text,
  },
} as const satisfies Record<string, SettingSpec<unknown>>;

export type SettingKey = keyof typeof SETTINGS;
export const ALL_SETTINGS: readonly SettingSpec<unknown>[] = Object.values(SETTINGS);

/** `DATASTORE_HOST (--datastore-host)`: how messages name a setting. */
export const settingName = (spec: SettingSpec<unknown>): string => (spec.flag ? `${spec.variable} (--${spec.flag})` : spec.variable);

/** A flag wins over its environment variable; an empty value is unset. */
export function readSetting<K extends SettingKey>(key: K, env: Env, flags: Flags): ReturnType<(typeof SETTINGS)[K]['parse']> {
  const spec = SETTINGS[key] as SettingSpec<unknown>;
  const text = (spec.flag === undefined ? undefined : flags[spec.flag]) ?? env[spec.variable];
  return spec.parse(text === '' ? undefined : text, settingName(spec)) as ReturnType<(typeof SETTINGS)[K]['parse']>;
}

/** The settings of a start, each read for the roles that take it. */
export interface StartSettings {
  readonly role: Settings;
  readonly outputDir: string;
  readonly binary: string | undefined;
  readonly timeoutMs: number;
  readonly owner: Owner | undefined;
}

export function readSettings(role: RoleSpec, env: Env, flags: Flags): StartSettings {
  const forRole = <K extends 'datastoreHost' | 'cacheAddress' | 'launcherConfig'>(key: K) =>
    role.settings.includes(SETTINGS[key].roleSetting) ? readSetting(key, env, flags) : undefined;
  const launcherConfig = forRole('launcherConfig');
  return {
    role: {
      datastoreHost: forRole('datastoreHost'),
      cacheAddress: forRole('cacheAddress'),
      ...(launcherConfig === undefined ? {} : { launcherConfig, sdkRegion: env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined }),
    },
    outputDir: readSetting('outputDir', env, flags),
    binary: readSetting('binary', env, flags),
    timeoutMs: readSetting('timeoutMs', env, flags),
    owner: readSetting('owner', env, flags),
  };
}

/** A role setting's flag given to a role that does not take it, e.g. `--datastore-host` to gateway. */
export function foreignSettingFlag(role: RoleSpec, flags: Flags): string | undefined {
  const foreign = ALL_SETTINGS.find(
    (s) => s.roleSetting !== undefined && !role.settings.includes(s.roleSetting) && s.flag !== undefined && s.flag in flags,
  );
  return foreign && `--${foreign.flag}`;
}

export const SETTING_FLAGS: readonly string[] = ALL_SETTINGS.flatMap((s) => (s.flag === undefined ? [] : [s.flag]));

/** Every variable the bootstrapper reads; none of them reaches the program's environment. */
export const BOOTSTRAP_VARIABLES: readonly string[] = [
  ...ALL_INPUTS.flatMap((spec) => INPUT_SUFFIXES.map((suffix) => spec.name + suffix)),
  ...ALL_SETTINGS.map((s) => s.variable),
];
