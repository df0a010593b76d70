import { describe, expect, it } from 'vitest';
import { describeOrigin, type InputLocation, type InputName } from '../../src/domain.js';
import { isRoleName, ROLES } from '../../src/roles/index.js';
import { fileOf } from '../../src/roles/role.js';

const file = (path: string): InputLocation => ({ kind: 'file', path });
const FILES = new Map<InputName, InputLocation>([
  ['CONTROL_PLANE_CONFIG', file('/o/cp.yaml')],
  ['ENCRYPTION_KEY', file('/o/key')],
  ['ENVOY_CONFIG', file('/o/envoy.yaml')],
  ['PIPED_CONFIG', file('/o/piped.yaml')],
]);

/** [role, programs searched in order, inputs (required or optional), settings, args without and with a cache address]. */
const ROWS = [
  [
    'server',
    ['controlplane', 'pipecd'],
    ['CONTROL_PLANE_CONFIG', 'ENCRYPTION_KEY', 'MYSQL_USERNAME?', 'MYSQL_PASSWORD?'],
    ['DATASTORE_HOST', 'CACHE_ADDRESS'],
    ['server', '--config-file=/o/cp.yaml', '--encryption-key-file=/o/key'],
  ],
  [
    'ops',
    ['controlplane', 'pipecd'],
    ['CONTROL_PLANE_CONFIG', 'MYSQL_USERNAME?', 'MYSQL_PASSWORD?'],
    ['DATASTORE_HOST', 'CACHE_ADDRESS'],
    ['ops', '--config-file=/o/cp.yaml'],
  ],
  ['gateway', ['envoy'], ['ENVOY_CONFIG'], [], ['-c', '/o/envoy.yaml']],
  ['piped', ['piped'], ['PIPED_CONFIG', 'PIPED_KEY?'], [], ['piped', '--config-file=/o/piped.yaml']],
  ['launcher', ['launcher'], ['PIPED_CONFIG', 'PIPED_KEY?'], ['LAUNCHER_CONFIG'], ['launcher', '--config-file=/o/piped.yaml']],
] as const;

describe('roles', () => {
  it.each(ROWS)('%s', (name, programs, inputs, settings, args) => {
    const role = ROLES[name];
    expect(role.name).toBe(name);
    expect(role.programs).toEqual(programs);
    expect(role.inputs.map((i) => `${i.spec.name}${i.required ? '' : '?'}`)).toEqual(inputs);
    expect(role.settings).toEqual(settings);
    expect(role.args(FILES, { datastoreHost: 'db', cacheAddress: undefined })).toEqual(args);
    const withCache = role.args(FILES, { datastoreHost: undefined, cacheAddress: 'redis:6379' });
    expect(withCache).toEqual((settings as readonly string[]).includes('CACHE_ADDRESS') ? [...args, '--cache-address=redis:6379'] : args);
  });

  it('are exactly these five, looked up by own name only', () => {
    expect(Object.keys(ROLES)).toEqual(['server', 'ops', 'gateway', 'piped', 'launcher']);
    expect(['server', 'launcher', 'constructor', 'toString', 'Server', ''].map(isRoleName)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it('a file the role needs but render did not write is an internal error', () => {
    expect(() => fileOf(new Map(), 'PIPED_CONFIG')).toThrow(new Error('no file rendered for PIPED_CONFIG'));
    expect(() =>
      ROLES.server.args(new Map<InputName, InputLocation>([['CONTROL_PLANE_CONFIG', file('/c')]]), {
        datastoreHost: undefined,
        cacheAddress: undefined,
      }),
    ).toThrow('no file rendered for ENCRYPTION_KEY');
  });
});

describe('describeOrigin: how messages name where an input came from', () => {
  const REF = {
    service: 'secretsmanager' as const,
    text: 'pipecd:key',
    secretId: 'pipecd',
    region: undefined,
    jsonKey: 'key',
    versionStage: undefined,
    versionId: undefined,
  };
  it.each([
    [{ type: 'env', variable: 'PIPED_KEY' }, 'PIPED_KEY (env PIPED_KEY)'],
    [{ type: 'secret', ref: REF, via: '--piped-key-secret' }, 'PIPED_KEY (secret pipecd:key from --piped-key-secret)'],
    [{ type: 'file', path: '/run/key', via: 'env PIPED_KEY_FILE' }, 'PIPED_KEY (file /run/key from env PIPED_KEY_FILE)'],
  ] as const)('%j', (origin, text) => {
    expect(describeOrigin('PIPED_KEY', origin)).toBe(text);
  });
});
