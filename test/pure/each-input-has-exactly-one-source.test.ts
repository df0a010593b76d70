import { describe, expect, it } from 'vitest';
import type { InputOrigin } from '../../src/domain.js';
import { BootstrapError } from '../../src/errors.js';
import { selectSources } from '../../src/inputs/select-sources.js';
import { ROLES } from '../../src/roles/index.js';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:envoy-AbCdEf';
const ref = (text: string, secretId: string, region: string | undefined, jsonKey?: string) => ({
  service: 'secretsmanager' as const,
  text,
  secretId,
  region,
  jsonKey,
  versionStage: undefined,
  versionId: undefined,
});

/** [what, env, flags, origin, encoding, value] for the gateway's one input, ENVOY_CONFIG. */
const SOURCES: readonly (readonly [string, Record<string, string>, Record<string, string>, InputOrigin, string, string | undefined])[] = [
  ['env X', { ENVOY_CONFIG: 'static_resources: {}' }, {}, { type: 'env', variable: 'ENVOY_CONFIG' }, 'auto', 'static_resources: {}'],
  ['an empty env X is a value (checked later)', { ENVOY_CONFIG: '' }, {}, { type: 'env', variable: 'ENVOY_CONFIG' }, 'auto', ''],
  [
    'env X_SECRET',
    { ENVOY_CONFIG_SECRET: ARN },
    {},
    { type: 'secret', ref: ref(ARN, ARN, 'eu-west-1'), via: 'env ENVOY_CONFIG_SECRET' },
    'auto',
    undefined,
  ],
  [
    '--x-secret',
    {},
    { 'envoy-config-secret': 'envoy:cfg' },
    { type: 'secret', ref: ref('envoy:cfg', 'envoy', undefined, 'cfg'), via: '--envoy-config-secret' },
    'auto',
    undefined,
  ],
  [
    'env X_FILE',
    { ENVOY_CONFIG_FILE: '/etc/envoy.yaml' },
    {},
    { type: 'file', path: '/etc/envoy.yaml', via: 'env ENVOY_CONFIG_FILE' },
    'auto',
    undefined,
  ],
  [
    'a relative --x-file',
    {},
    { 'envoy-config-file': 'envoy.yaml' },
    { type: 'file', path: 'envoy.yaml', via: '--envoy-config-file' },
    'auto',
    undefined,
  ],
  ['X_ENCODING', { ENVOY_CONFIG: 'x', ENVOY_CONFIG_ENCODING: 'raw' }, {}, { type: 'env', variable: 'ENVOY_CONFIG' }, 'raw', 'x'],
  [
    '--x-encoding over X_ENCODING',
    { ENVOY_CONFIG: 'x', ENVOY_CONFIG_ENCODING: 'raw' },
    { 'envoy-config-encoding': 'base64' },
    { type: 'env', variable: 'ENVOY_CONFIG' },
    'base64',
    'x',
  ],
  [
    'an empty X_ENCODING is the default',
    { ENVOY_CONFIG: 'x', ENVOY_CONFIG_ENCODING: '' },
    {},
    { type: 'env', variable: 'ENVOY_CONFIG' },
    'auto',
    'x',
  ],
  [
    'an empty --x-encoding is the default',
    { ENVOY_CONFIG: 'x' },
    { 'envoy-config-encoding': '' },
    { type: 'env', variable: 'ENVOY_CONFIG' },
    'auto',
    'x',
  ],
  ['auto asked for', { ENVOY_CONFIG: 'x', ENVOY_CONFIG_ENCODING: 'auto' }, {}, { type: 'env', variable: 'ENVOY_CONFIG' }, 'auto', 'x'],
];

/** [what, role, env, flags, exit code, message, hint]. */
const REFUSED = [
  [
    'two sources',
    'gateway',
    { ENVOY_CONFIG: 'x', ENVOY_CONFIG_FILE: '/e' },
    {},
    65,
    'ENVOY_CONFIG: given by both env ENVOY_CONFIG and env ENVOY_CONFIG_FILE',
    'give each input exactly one source',
  ],
  [
    'a secret twice',
    'gateway',
    { ENVOY_CONFIG_SECRET: 'a' },
    { 'envoy-config-secret': 'b' },
    65,
    'ENVOY_CONFIG: given by both env ENVOY_CONFIG_SECRET and --envoy-config-secret',
    'give each input exactly one source',
  ],
  [
    'a file twice',
    'gateway',
    { ENVOY_CONFIG_FILE: '/a' },
    { 'envoy-config-file': '/b' },
    65,
    'ENVOY_CONFIG: given by both env ENVOY_CONFIG_FILE and --envoy-config-file',
    'give each input exactly one source',
  ],
  [
    'a secret and a file',
    'gateway',
    {},
    { 'envoy-config-secret': 'a', 'envoy-config-file': '/b' },
    65,
    'ENVOY_CONFIG: given by both --envoy-config-secret and --envoy-config-file',
    'give each input exactly one source',
  ],
  [
    'an empty X_SECRET',
    'gateway',
    { ENVOY_CONFIG_SECRET: '' },
    {},
    64,
    'ENVOY_CONFIG: env ENVOY_CONFIG_SECRET is set but empty',
    undefined,
  ],
  [
    'an empty --x-secret',
    'gateway',
    {},
    { 'envoy-config-secret': '' },
    64,
    'ENVOY_CONFIG: --envoy-config-secret is set but empty',
    undefined,
  ],
  ['an empty X_FILE', 'gateway', { ENVOY_CONFIG_FILE: '' }, {}, 64, 'ENVOY_CONFIG: env ENVOY_CONFIG_FILE is set but empty', undefined],
  ['an empty --x-file', 'gateway', {}, { 'envoy-config-file': '' }, 64, 'ENVOY_CONFIG: --envoy-config-file is set but empty', undefined],
  [
    'an unknown X_ENCODING',
    'gateway',
    { ENVOY_CONFIG: 'x', ENVOY_CONFIG_ENCODING: 'hex' },
    {},
    64,
    'ENVOY_CONFIG_ENCODING: must be raw, base64 or auto',
    undefined,
  ],
  [
    'an unknown --x-encoding',
    'gateway',
    { ENVOY_CONFIG: 'x' },
    { 'envoy-config-encoding': 'utf8' },
    64,
    '--envoy-config-encoding: must be raw, base64 or auto',
    undefined,
  ],
  [
    'a missing required input',
    'server',
    { CONTROL_PLANE_CONFIG: 'x' },
    {},
    64,
    'ENCRYPTION_KEY is required for role server',
    'set ENCRYPTION_KEY, ENCRYPTION_KEY_SECRET or ENCRYPTION_KEY_FILE (or --encryption-key-secret / --encryption-key-file)',
  ],
  [
    'the first missing input is named',
    'server',
    {},
    {},
    64,
    'CONTROL_PLANE_CONFIG is required for role server',
    'set CONTROL_PLANE_CONFIG, CONTROL_PLANE_CONFIG_SECRET or CONTROL_PLANE_CONFIG_FILE (or --control-plane-config-secret / --control-plane-config-file)',
  ],
  [
    "another role's input flag",
    'gateway',
    { ENVOY_CONFIG: 'x' },
    { 'piped-key-file': '/k' },
    64,
    '--piped-key-* is not an option of role gateway',
    'run pipecd-bootstrap --help',
  ],
  [
    "another role's encoding flag",
    'piped',
    { PIPED_CONFIG: 'x' },
    { 'encryption-key-encoding': 'raw' },
    64,
    '--encryption-key-* is not an option of role piped',
    'run pipecd-bootstrap --help',
  ],
  [
    "another role's setting flag",
    'gateway',
    { ENVOY_CONFIG: 'x' },
    { 'datastore-host': 'db' },
    64,
    '--datastore-host is not an option of role gateway',
    'run pipecd-bootstrap --help',
  ],
] as const;

/** No /proc/self/environ is needed: every value here is ASCII, so nothing is re-read byte for byte. */
const noRawEnvironment = () => undefined;

describe('selectSources', () => {
  it.each(SOURCES)('takes %s', (_what, env, flags, origin, encoding, value) => {
    const request = selectSources(ROLES.gateway, env, flags, noRawEnvironment);
    expect(request.sources).toHaveLength(1);
    const [source] = request.sources;
    expect(source!.spec.name).toBe('ENVOY_CONFIG');
    expect(source!.origin).toEqual(origin);
    expect(source!.encoding).toBe(encoding);
    expect(source!.value?.toString('utf8')).toBe(value);
    expect('value' in source!).toBe(value !== undefined);
  });

  it.each(REFUSED)('refuses %s', (_what, role, env, flags, exitCode, message, hint) => {
    let caught: unknown;
    try {
      selectSources(ROLES[role], env, flags, noRawEnvironment);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BootstrapError);
    const error = caught as BootstrapError;
    expect({ exitCode: error.exitCode, message: error.message, hint: error.hint }).toEqual({ exitCode, message, hint });
  });

  it('an env value keeps its bytes exactly, whitespace and all', () => {
    const request = selectSources(ROLES.piped, { PIPED_CONFIG: 'c', PIPED_KEY: ' key\n' }, {}, noRawEnvironment);
    expect(request.sources[1]!.value).toEqual(Buffer.from(' key\n'));
  });

  it("an optional input left out is not a source; the order is the role's", () => {
    const request = selectSources(
      ROLES.server,
      { ENCRYPTION_KEY: 'k', CONTROL_PLANE_CONFIG: 'c', MYSQL_PASSWORD: 'p', MYSQL_USERNAME: 'u' },
      {},
      noRawEnvironment,
    );
    expect(request.sources.map((s) => s.spec.name)).toEqual(['CONTROL_PLANE_CONFIG', 'ENCRYPTION_KEY', 'MYSQL_USERNAME', 'MYSQL_PASSWORD']);
    expect(selectSources(ROLES.piped, { PIPED_CONFIG: 'c' }, {}, noRawEnvironment).sources.map((s) => s.spec.name)).toEqual([
      'PIPED_CONFIG',
    ]);
  });

  it('keys are raw and configs auto unless asked otherwise', () => {
    const request = selectSources(
      ROLES.server,
      { ENCRYPTION_KEY: 'k', CONTROL_PLANE_CONFIG: 'c', MYSQL_PASSWORD: 'p', MYSQL_USERNAME: 'u' },
      {},
      noRawEnvironment,
    );
    expect(request.sources.map((s) => s.encoding)).toEqual(['auto', 'raw', 'raw', 'raw']);
  });

  it('reads the settings with the sources', () => {
    const request = selectSources(
      ROLES.server,
      { ENCRYPTION_KEY: 'k', CONTROL_PLANE_CONFIG: 'c', DATASTORE_HOST: 'db' },
      { timeout: '2' },
      noRawEnvironment,
    );
    expect(request).toMatchObject({
      role: { datastoreHost: 'db', cacheAddress: undefined },
      outputDir: '/tmp/pipecd-bootstrap',
      binary: undefined,
      timeoutMs: 2000,
    });
  });
});
