import { describe, expect, it } from 'vitest';
import { INPUTS } from '../../src/inputs/catalog.js';
import { MAX_INPUT_BYTES, MIN_ENCRYPTION_KEY_BYTES, renderLaunch } from '../../src/render/plan.js';
import { ROLES } from '../../src/roles/index.js';
import { CONTROL_PLANE, described, ENVOY, envInput, failure, NO_SETTINGS, PIPED } from './support/render.js';

const KEY = 'k'.repeat(64);
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('renderLaunch: the files and arguments of each role', () => {
  it('server: both files under the output dir, the bytes as given, the flags PipeCD takes', () => {
    const { plan, warnings } = renderLaunch(
      ROLES.server,
      [envInput(INPUTS.controlPlaneConfig, CONTROL_PLANE), envInput(INPUTS.encryptionKey, KEY)],
      { datastoreHost: undefined, cacheAddress: 'redis:6379' },
      '/run/out',
      ['--log-level=debug'],
    );
    expect(plan).toEqual({
      role: 'server',
      files: [
        { input: 'CONTROL_PLANE_CONFIG', path: '/run/out/control-plane-config.yaml', contents: Buffer.from(CONTROL_PLANE) },
        { input: 'ENCRYPTION_KEY', path: '/run/out/encryption-key', contents: Buffer.from(KEY) },
      ],
      args: [
        'server',
        '--config-file=/run/out/control-plane-config.yaml',
        '--encryption-key-file=/run/out/encryption-key',
        '--cache-address=redis:6379',
        '--log-level=debug',
      ],
    });
    expect(warnings).toEqual([]);
  });

  it('ops: no encryption key, no --cache-address unless set', () => {
    const { plan } = renderLaunch(ROLES.ops, [envInput(INPUTS.controlPlaneConfig, b64(CONTROL_PLANE))], NO_SETTINGS, '/o', []);
    expect(plan.args).toEqual(['ops', '--config-file=/o/control-plane-config.yaml']);
    expect(plan.files[0]!.contents).toEqual(Buffer.from(CONTROL_PLANE));
  });

  it('gateway: envoy -c FILE, the config byte for byte', () => {
    const { plan } = renderLaunch(ROLES.gateway, [envInput(INPUTS.envoyConfig, ENVOY)], NO_SETTINGS, '/o', ['--', 'x']);
    expect(plan).toEqual({
      role: 'gateway',
      files: [{ input: 'ENVOY_CONFIG', path: '/o/envoy-config.yaml', contents: Buffer.from(ENVOY) }],
      args: ['-c', '/o/envoy-config.yaml', '--', 'x'],
    });
  });

  it.each([
    ['piped', ['piped', '--config-file=/o/piped-config.yaml']],
    ['launcher', ['launcher', '--config-file=/o/piped-config.yaml']],
  ] as const)('%s: its subcommand and --config-file', (role, args) => {
    const { plan } = renderLaunch(ROLES[role], [envInput(INPUTS.pipedConfig, PIPED)], NO_SETTINGS, '/o', []);
    expect(plan.args).toEqual(args);
    expect(plan.files[0]!.contents).toEqual(Buffer.from(PIPED));
  });

  it('a relative output dir is joined as given (settings refuse it before)', () => {
    const { plan } = renderLaunch(ROLES.gateway, [envInput(INPUTS.envoyConfig, ENVOY)], NO_SETTINGS, 'out/', []);
    expect(plan.files[0]!.path).toBe('out/envoy-config.yaml');
  });
});

describe('renderLaunch: sizes and encodings', () => {
  it.each([
    [MIN_ENCRYPTION_KEY_BYTES - 1, false],
    [MIN_ENCRYPTION_KEY_BYTES, true],
    [MIN_ENCRYPTION_KEY_BYTES + 1, true],
  ])('an encryption key of %i bytes is accepted: %s', (size, accepted) => {
    const inputs = [envInput(INPUTS.controlPlaneConfig, CONTROL_PLANE), envInput(INPUTS.encryptionKey, 'x'.repeat(size))];
    const run = () => renderLaunch(ROLES.server, inputs, NO_SETTINGS, '/o', []);
    if (accepted) expect(run().plan.files[1]!.contents.length).toBe(size);
    else
      expect(described(failure(run))).toEqual({
        exitCode: 65,
        message: `ENCRYPTION_KEY (env ENCRYPTION_KEY): is ${size} bytes; PipeCD needs at least 32`,
        hint: 'generate one with: openssl rand 64 | base64 -w0',
      });
  });

  it('the 32-byte minimum counts decoded bytes when the key is base64', () => {
    const short = Buffer.alloc(31, 7).toString('base64');
    const inputs = [envInput(INPUTS.controlPlaneConfig, CONTROL_PLANE), envInput(INPUTS.encryptionKey, short, 'base64')];
    expect(failure(() => renderLaunch(ROLES.server, inputs, NO_SETTINGS, '/o', [])).message).toBe(
      'ENCRYPTION_KEY (env ENCRYPTION_KEY): is 31 bytes; PipeCD needs at least 32',
    );
    const exact = [inputs[0]!, envInput(INPUTS.encryptionKey, Buffer.alloc(32, 7).toString('base64'), 'base64')];
    expect(renderLaunch(ROLES.server, exact, NO_SETTINGS, '/o', []).plan.files[1]!.contents).toEqual(Buffer.alloc(32, 7));
  });

  it.each([
    [MAX_INPUT_BYTES, true],
    [MAX_INPUT_BYTES + 1, false],
  ])('a key of %i bytes is within the limit: %s', (size, accepted) => {
    const inputs = [envInput(INPUTS.pipedConfig, PIPED), envInput(INPUTS.pipedKey, Buffer.alloc(size, 0x61))];
    const run = () => renderLaunch(ROLES.piped, inputs, NO_SETTINGS, '/o', []);
    if (accepted) expect(run().plan.files[1]!.contents.length).toBe(size);
    else
      expect(described(failure(run))).toEqual({
        exitCode: 65,
        message: `PIPED_KEY (env PIPED_KEY): is ${size} bytes; the limit is ${MAX_INPUT_BYTES}`,
        hint: undefined,
      });
  });

  it('the size limit is checked before decoding', () => {
    const big = Buffer.from(Buffer.alloc(MAX_INPUT_BYTES, 0x61).toString('base64'));
    const inputs = [envInput(INPUTS.pipedConfig, PIPED), envInput(INPUTS.pipedKey, big, 'base64')];
    expect(failure(() => renderLaunch(ROLES.piped, inputs, NO_SETTINGS, '/o', [])).message).toBe(
      `PIPED_KEY (env PIPED_KEY): is ${big.length} bytes; the limit is ${MAX_INPUT_BYTES}`,
    );
  });

  it.each([
    ['an empty key', envInput(INPUTS.pipedKey, ''), 'PIPED_KEY (env PIPED_KEY): is empty', undefined],
    [
      'a key that is not base64 though asked to be',
      envInput(INPUTS.pipedKey, 'not base64!', 'base64'),
      'PIPED_KEY (env PIPED_KEY): is not valid base64 (standard alphabet, canonical padding)',
      'set PIPED_KEY_ENCODING=raw if the value is not base64',
    ],
  ])('%s is refused', (_what, key, message, hint) => {
    const run = () => renderLaunch(ROLES.piped, [envInput(INPUTS.pipedConfig, PIPED), key], NO_SETTINGS, '/o', []);
    expect(described(failure(run))).toEqual({ exitCode: 65, message, hint });
  });

  it.each([
    ['raw bytes', Buffer.from([0x6b, 0xff, 0x3a]), 'is not valid UTF-8'],
    [
      'base64 of bytes',
      Buffer.from(Buffer.from([0x6b, 0xff, 0x3a]).toString('base64')),
      'decodes from base64 to bytes that are not UTF-8 text',
    ],
  ])('a config that is %s that are not UTF-8 is refused, saying which', (_what, bytes, how) => {
    const run = () => renderLaunch(ROLES.gateway, [envInput(INPUTS.envoyConfig, bytes)], NO_SETTINGS, '/o', []);
    expect(described(failure(run))).toEqual({
      exitCode: 65,
      message: `ENVOY_CONFIG (env ENVOY_CONFIG): ${how}`,
      hint: 'a config must be YAML text, or base64 of it',
    });
  });

  it.each([
    ['PIPED_KEY', 'piped', 'key\n'],
    ['PIPED_KEY', 'piped', 'key\r'],
    ['MYSQL_PASSWORD', 'server', 'pass\n'],
    ['MYSQL_USERNAME', 'server', 'user\r\n'],
  ] as const)('%s ending with a line break is written as given, with a warning', (name, role, value) => {
    const inputs =
      role === 'piped'
        ? [envInput(INPUTS.pipedConfig, PIPED), envInput(INPUTS.pipedKey, value)]
        : [
            envInput(INPUTS.controlPlaneConfig, CONTROL_PLANE),
            envInput(INPUTS.encryptionKey, KEY),
            envInput(INPUTS.mysqlUsername, name === 'MYSQL_USERNAME' ? value : 'user'),
            envInput(INPUTS.mysqlPassword, name === 'MYSQL_PASSWORD' ? value : 'pass'),
          ];
    const { plan, warnings } = renderLaunch(ROLES[role], inputs, NO_SETTINGS, '/o', []);
    expect(plan.files.find((f) => f.input === name)!.contents).toEqual(Buffer.from(value));
    expect(warnings).toEqual([`${name} (env ${name}) ends with a line break; it is written as given and read untrimmed`]);
  });

  it('an encryption key ending with a line break is written as given, without a warning (JWT uses the whole file)', () => {
    const key = `${KEY}\n`;
    const inputs = [envInput(INPUTS.controlPlaneConfig, CONTROL_PLANE), envInput(INPUTS.encryptionKey, key)];
    const { plan, warnings } = renderLaunch(ROLES.server, inputs, NO_SETTINGS, '/o', []);
    expect(plan.files[1]!.contents).toEqual(Buffer.from(key));
    expect(warnings).toEqual([]);
  });

  it('a key with a line break inside but not at the end gets no warning', () => {
    const { warnings } = renderLaunch(
      ROLES.piped,
      [envInput(INPUTS.pipedConfig, PIPED), envInput(INPUTS.pipedKey, 'a\nb')],
      NO_SETTINGS,
      '/o',
      [],
    );
    expect(warnings).toEqual([]);
  });
});
