import { describe, expect, it } from 'vitest';
import { BootstrapError } from '../../src/errors.js';
import {
  ALL_SETTINGS,
  BOOTSTRAP_VARIABLES,
  DEFAULT_OUTPUT_DIR,
  DEFAULT_TIMEOUT_SECONDS,
  foreignSettingFlag,
  isValidHost,
  readSetting,
  readSettings,
  SETTING_FLAGS,
  settingName,
  type SettingKey,
} from '../../src/inputs/settings.js';
import { ROLES } from '../../src/roles/index.js';

type Row = readonly [string, SettingKey, Record<string, string>, Record<string, string>, unknown];

/** [what, setting, env, flags, value]: a flag wins over its variable; an empty text is unset. */
const VALUES: readonly Row[] = [
  ['the default output dir', 'outputDir', {}, {}, DEFAULT_OUTPUT_DIR],
  ['the output dir from env', 'outputDir', { PIPECD_BOOTSTRAP_DIR: '/run/x' }, {}, '/run/x'],
  ['the output dir flag over env', 'outputDir', { PIPECD_BOOTSTRAP_DIR: '/run/env' }, { 'output-dir': '/run/flag' }, '/run/flag'],
  [
    'an empty output dir flag is unset, and then env does not count either',
    'outputDir',
    { PIPECD_BOOTSTRAP_DIR: '/run/env' },
    { 'output-dir': '' },
    DEFAULT_OUTPUT_DIR,
  ],
  ['an empty output dir is the default', 'outputDir', { PIPECD_BOOTSTRAP_DIR: '' }, {}, DEFAULT_OUTPUT_DIR],
  ['the default timeout', 'timeoutMs', {}, {}, DEFAULT_TIMEOUT_SECONDS * 1000],
  ['a timeout in seconds', 'timeoutMs', { PIPECD_BOOTSTRAP_TIMEOUT: '12' }, {}, 12_000],
  ['a timeout with an s', 'timeoutMs', { PIPECD_BOOTSTRAP_TIMEOUT: '12s' }, {}, 12_000],
  ['a fractional timeout, rounded to the millisecond', 'timeoutMs', {}, { timeout: '0.0015' }, 2],
  ['the longest timeout', 'timeoutMs', {}, { timeout: '3600' }, 3_600_000],
  ['the timeout flag over env', 'timeoutMs', { PIPECD_BOOTSTRAP_TIMEOUT: '5' }, { timeout: '7' }, 7_000],
  ['json logs by default', 'logEncoding', {}, {}, 'json'],
  ['humanized logs', 'logEncoding', { PIPECD_BOOTSTRAP_LOG_ENCODING: 'humanize' }, {}, 'humanize'],
  ['json logs asked for', 'logEncoding', {}, { 'log-encoding': 'json' }, 'json'],
  ['the log encoding flag over env', 'logEncoding', { PIPECD_BOOTSTRAP_LOG_ENCODING: 'humanize' }, { 'log-encoding': 'json' }, 'json'],
  ['no binary', 'binary', {}, {}, undefined],
  ['the binary flag over env', 'binary', { PIPECD_BINARY: '/env/pipecd' }, { binary: 'controlplane' }, 'controlplane'],
  ['a datastore host', 'datastoreHost', { DATASTORE_HOST: 'db.internal' }, {}, 'db.internal'],
  ['the datastore host flag over env', 'datastoreHost', { DATASTORE_HOST: 'env-db' }, { 'datastore-host': 'flag-db' }, 'flag-db'],
  ['an IPv6 datastore host', 'datastoreHost', {}, { 'datastore-host': '[fd00::1]' }, '[fd00::1]'],
  ['the cache address flag over env', 'cacheAddress', { CACHE_ADDRESS: 'env:6379' }, { 'cache-address': 'flag:6379' }, 'flag:6379'],
  ['the role from env only', 'role', { PIPECD_BOOTSTRAP_ROLE: 'piped' }, {}, 'piped'],
];

/** [what, setting, env, flags, message]: each a usage error naming the setting as given. */
const REFUSED = [
  [
    'a relative output dir',
    'outputDir',
    { PIPECD_BOOTSTRAP_DIR: 'out' },
    {},
    'PIPECD_BOOTSTRAP_DIR (--output-dir): must be an absolute path',
  ],
  [
    'a ./relative output dir flag',
    'outputDir',
    {},
    { 'output-dir': './out' },
    'PIPECD_BOOTSTRAP_DIR (--output-dir): must be an absolute path',
  ],
  [
    'a timeout of 0',
    'timeoutMs',
    { PIPECD_BOOTSTRAP_TIMEOUT: '0' },
    {},
    'PIPECD_BOOTSTRAP_TIMEOUT (--timeout): must be a number of seconds between 0 and 3600, e.g. 30 or 30s',
  ],
  [
    'a negative timeout',
    'timeoutMs',
    {},
    { timeout: '-1' },
    'PIPECD_BOOTSTRAP_TIMEOUT (--timeout): must be a number of seconds between 0 and 3600, e.g. 30 or 30s',
  ],
  [
    'a timeout over an hour',
    'timeoutMs',
    {},
    { timeout: '3600.5' },
    'PIPECD_BOOTSTRAP_TIMEOUT (--timeout): must be a number of seconds between 0 and 3600, e.g. 30 or 30s',
  ],
  [
    'a timeout that is not a number',
    'timeoutMs',
    {},
    { timeout: 'ten' },
    'PIPECD_BOOTSTRAP_TIMEOUT (--timeout): must be a number of seconds between 0 and 3600, e.g. 30 or 30s',
  ],
  [
    'an infinite timeout',
    'timeoutMs',
    {},
    { timeout: 'Infinity' },
    'PIPECD_BOOTSTRAP_TIMEOUT (--timeout): must be a number of seconds between 0 and 3600, e.g. 30 or 30s',
  ],
  [
    'a timeout in minutes',
    'timeoutMs',
    {},
    { timeout: '1m' },
    'PIPECD_BOOTSTRAP_TIMEOUT (--timeout): must be a number of seconds between 0 and 3600, e.g. 30 or 30s',
  ],
  [
    'an unknown log encoding',
    'logEncoding',
    { PIPECD_BOOTSTRAP_LOG_ENCODING: 'console' },
    {},
    'PIPECD_BOOTSTRAP_LOG_ENCODING (--log-encoding): must be json or humanize',
  ],
  [
    'a datastore host with a port',
    'datastoreHost',
    { DATASTORE_HOST: 'db:3306' },
    {},
    'DATASTORE_HOST (--datastore-host): must be a host name or [IPv6] address, without a port',
  ],
] as const;

describe('settings', () => {
  it.each(VALUES)('%s', (_what, key, env, flags, value) => {
    expect(readSetting(key, env, flags)).toEqual(value);
  });

  it.each(REFUSED)('refuses %s', (_what, key, env, flags, message) => {
    let caught: unknown;
    try {
      readSetting(key, env, flags);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BootstrapError);
    expect((caught as BootstrapError).exitCode).toBe(64);
    expect((caught as BootstrapError).message).toBe(message);
  });

  it('a datastore host with a port says the port in the url is kept', () => {
    expect(() => readSetting('datastoreHost', { DATASTORE_HOST: 'db:3306' }, {})).toThrow(
      expect.objectContaining({ hint: 'the port in spec.datastore.config.url is kept' }),
    );
  });

  it.each([
    ['db', true],
    ['db.internal', true],
    ['a-b.c-d.example', true],
    ['db1.eu-west-1.rds.amazonaws.com', true],
    ['[::1]', true],
    ['[fd00:0:0:0::1]', true],
    ['', false],
    ['-db', false],
    ['db-', false],
    ['db..internal', false],
    ['db.internal.', false],
    ['db:3306', false],
    ['db/x', false],
    ['::1', false],
    ['[::1', false],
    ['[::1]:3306', false],
    ['d b', false],
    ['a', true],
    ['db.a', true],
    ['a.b.c', true],
    ['1db.internal', true],
    ['DB.Internal', true],
    ['x[::1]', false],
    ['[]', false],
    ['[::g]', false],
    ['[FD00::1]', true],
    ['[::ffff:10.0.0.1]', true],
    ['db.internal\n', false],
    [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`, true],
    [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`, false],
  ])('isValidHost(%j) is %s', (host, valid) => {
    expect(isValidHost(host)).toBe(valid);
  });

  it('role settings are read only for the roles that take them', () => {
    const env = { DATASTORE_HOST: 'db', CACHE_ADDRESS: 'redis:6379' };
    expect(readSettings(ROLES.server, env, {}).role).toEqual({ datastoreHost: 'db', cacheAddress: 'redis:6379' });
    expect(readSettings(ROLES.ops, env, {}).role).toEqual({ datastoreHost: 'db', cacheAddress: 'redis:6379' });
    expect(readSettings(ROLES.gateway, env, {}).role).toEqual({ datastoreHost: undefined, cacheAddress: undefined });
    expect(readSettings(ROLES.piped, { DATASTORE_HOST: 'db:1' }, {}).role).toEqual({ datastoreHost: undefined, cacheAddress: undefined });
  });

  it('a start reads the output dir, the binary and the timeout whatever the role', () => {
    const env = { PIPECD_BOOTSTRAP_DIR: '/o', PIPECD_BINARY: 'envoy', PIPECD_BOOTSTRAP_TIMEOUT: '3' };
    expect(readSettings(ROLES.gateway, env, {})).toEqual({
      role: { datastoreHost: undefined, cacheAddress: undefined },
      outputDir: '/o',
      binary: 'envoy',
      timeoutMs: 3000,
    });
  });

  it.each([
    ['gateway', { 'datastore-host': 'db' }, '--datastore-host'],
    ['piped', { 'cache-address': 'r:1' }, '--cache-address'],
    ['launcher', { 'output-dir': '/o', 'datastore-host': 'db' }, '--datastore-host'],
    ['server', { 'datastore-host': 'db', 'cache-address': 'r:1' }, undefined],
    ['gateway', { 'output-dir': '/o', binary: 'envoy', timeout: '3', 'log-encoding': 'json' }, undefined],
  ] as const)('a %s start given %j has the foreign setting flag %s', (role, flags, foreign) => {
    expect(foreignSettingFlag(ROLES[role], flags)).toBe(foreign);
  });

  it('the flags, the names in messages and the variables removed from the program come from the table', () => {
    expect(SETTING_FLAGS).toEqual([
      'datastore-host',
      'cache-address',
      'launcher-config',
      'output-dir',
      'owner',
      'binary',
      'timeout',
      'log-encoding',
    ]);
    expect(ALL_SETTINGS.map(settingName)).toEqual([
      'DATASTORE_HOST (--datastore-host)',
      'CACHE_ADDRESS (--cache-address)',
      'PIPECD_BOOTSTRAP_LAUNCHER_CONFIG (--launcher-config)',
      'PIPECD_BOOTSTRAP_DIR (--output-dir)',
      'PIPECD_BOOTSTRAP_OWNER (--owner)',
      'PIPECD_BINARY (--binary)',
      'PIPECD_BOOTSTRAP_TIMEOUT (--timeout)',
      'PIPECD_BOOTSTRAP_LOG_ENCODING (--log-encoding)',
      'PIPECD_BOOTSTRAP_ROLE',
    ]);
    expect(BOOTSTRAP_VARIABLES).toEqual([
      ...[
        'CONTROL_PLANE_CONFIG',
        'ENCRYPTION_KEY',
        'ENVOY_CONFIG',
        'PIPED_CONFIG',
        'PIPED_KEY',
        'MYSQL_USERNAME',
        'MYSQL_PASSWORD',
      ].flatMap((n) => [n, `${n}_SECRET`, `${n}_FILE`, `${n}_ENCODING`]),
      'DATASTORE_HOST',
      'CACHE_ADDRESS',
      'PIPECD_BOOTSTRAP_LAUNCHER_CONFIG',
      'PIPECD_BOOTSTRAP_DIR',
      'PIPECD_BOOTSTRAP_OWNER',
      'PIPECD_BINARY',
      'PIPECD_BOOTSTRAP_TIMEOUT',
      'PIPECD_BOOTSTRAP_LOG_ENCODING',
      'PIPECD_BOOTSTRAP_ROLE',
    ]);
  });
});
