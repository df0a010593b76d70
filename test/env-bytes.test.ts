import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, MODES, start } from './helpers/bundle.js';
import { observe } from './helpers/reliability.js';
import { fileBytes } from './helpers/values.js';

/**
 * The rule: the bytes of a value given in the environment are written as they are, also when they
 * are not UTF-8 (Node's process.env would have put U+FFFD in their place). The environment is set
 * with printf's octal escapes in sh, so the bytes reach the bootstrapper exactly as given.
 */
const KEY = Buffer.concat([Buffer.from('k'.repeat(32)), Buffer.from([0xff, 0xfe, 0x80, 0xc3, 0x28, 0x00 + 0x41, 0xed, 0xa0, 0x80, 0x0a])]);
const PIPED_KEY = Buffer.from([0x70, 0x6b, 0xe9, 0x2d, 0xff]);
const octal = (bytes: Buffer) => [...bytes].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
/** `sh -c` that exports NAME with the bytes, then execs the bootstrapper ("$@"). */
const withBytes = (name: string, bytes: Buffer) => [
  'sh',
  '-c',
  `${name}="$(printf '${octal(bytes)}_')"; ${name}="\${${name}%_}"; export ${name}; exec "$@"`,
  'sh',
];

describe.each(MODES)('$mode: bytes that are not UTF-8 in the environment', ({ mode, node }) => {
  it('ENCRYPTION_KEY is written byte for byte', async () => {
    const r = await start({
      node,
      wrap: withBytes('ENCRYPTION_KEY', KEY),
      args: ['server'],
      env: { CONTROL_PLANE_CONFIG: fixture('control-plane-ecs-demo.yaml') },
    });
    const written = r.record ? fileBytes(r.record, 'encryption-key') : Buffer.alloc(0);
    observe(
      'bad input',
      `${mode}: ENCRYPTION_KEY with bytes that are not UTF-8`,
      `key file = the ${KEY.length} bytes given`,
      `exit ${r.code}; key file ${written.equals(KEY) ? 'equal' : `DIFFERENT (${written.length} bytes)`}`,
    );
    expect(r.code).toBe(0);
    expect(written.equals(KEY)).toBe(true);
  });

  it('PIPED_KEY is written byte for byte', async () => {
    const r = await start({
      node,
      wrap: withBytes('PIPED_KEY', PIPED_KEY),
      args: ['piped'],
      env: { PIPED_CONFIG: fixture('piped-full.yaml') },
    });
    expect(r.code).toBe(0);
    // The key's path is in the config (pipedKeyFile), not on argv: read it where the program will.
    expect(readFileSync(join(r.sandbox.out, 'piped-key')).equals(PIPED_KEY)).toBe(true);
  });

  it('another variable that is not UTF-8 is named in a warning (Node passes strings to the program; its bytes cannot be kept)', async () => {
    const r = await start({
      node,
      wrap: withBytes('SOME_SETTING', Buffer.from([0x61, 0xff])),
      args: ['gateway'],
      env: { ENVOY_CONFIG: fixture('envoy-ecs-demo.yaml') },
    });
    expect(r.code).toBe(0);
    expect(r.logs.find((l) => l.level === 'warn')).toMatchObject({ variables: ['SOME_SETTING'] });
    expect(r.record!.env.SOME_SETTING).toBe('a\uFFFD');
  });
});
