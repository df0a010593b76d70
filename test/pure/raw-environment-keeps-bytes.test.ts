import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { rawEnvironment } from '../../src/inputs/raw-environment.js';

/**
 * rawEnvironment reads /proc/self/environ, which a test cannot write. node:fs is the real one, but
 * for that one path, which reads the file the test names instead (by default the real
 * /proc/self/environ): so the parse is tested on exact bytes, read from a real file.
 */
const environ = vi.hoisted(() => ({ path: '/proc/self/environ' }));
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const readFileSync = ((path: unknown, ...rest: unknown[]) =>
    (actual.readFileSync as (...args: unknown[]) => unknown)(
      path === '/proc/self/environ' ? environ.path : path,
      ...rest,
    )) as typeof actual.readFileSync;
  return { ...actual, default: { ...actual, readFileSync }, readFileSync };
});

const dir = mkdtempSync(join(tmpdir(), 'raw-environment-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  environ.path = '/proc/self/environ';
});

/** The environment as the kernel would give it: these exact bytes in the file read for /proc/self/environ. */
function given(bytes: Buffer): ReadonlyMap<string, Buffer> | undefined {
  environ.path = join(dir, 'environ');
  writeFileSync(environ.path, bytes);
  return rawEnvironment();
}

const b = (text: string) => Buffer.from(text, 'latin1');
const entries = (map: ReadonlyMap<string, Buffer> | undefined) =>
  map === undefined ? undefined : [...map].map(([k, v]) => [k, v.toString('latin1')]);

describe('the raw environment', () => {
  it('of this process is /proc/self/environ: the variables Node shows, byte for byte', () => {
    const raw = rawEnvironment();
    expect(raw).toBeInstanceOf(Map);
    expect(raw!.get('PATH')).toEqual(Buffer.from(process.env.PATH!, 'utf8'));
  });

  it('is each NAME=VALUE between NULs, in order, the value byte for byte (not UTF-8 included)', () => {
    const raw = given(Buffer.concat([b('A=1\0PIPED_KEY='), Buffer.from([0xff, 0xfe, 0x3d, 0x41]), b('\0EMPTY=\0')]));
    expect(entries(raw)).toEqual([
      ['A', '1'],
      ['PIPED_KEY', '\xff\xfe=A'],
      ['EMPTY', ''],
    ]);
    expect(raw!.get('PIPED_KEY')).toEqual(Buffer.from([0xff, 0xfe, 0x3d, 0x41]));
  });

  it('takes the last entry also without a NUL after it', () => {
    expect(entries(given(b('A=1\0B=two')))).toEqual([
      ['A', '1'],
      ['B', 'two'],
    ]);
  });

  it('keeps the first of two entries with one name, as getenv(3) does', () => {
    expect(entries(given(b('A=first\0B=b\0A=second\0')))).toEqual([
      ['A', 'first'],
      ['B', 'b'],
    ]);
  });

  it('skips entries without a name: no =, an empty name, empty entries', () => {
    expect(entries(given(b('\0JUNK\0=nameless\0\0A=1\0X\0')))).toEqual([['A', '1']]);
  });

  it('of an empty file is empty', () => {
    expect(entries(given(Buffer.alloc(0)))).toEqual([]);
  });

  it('is undefined where /proc/self/environ cannot be read', () => {
    environ.path = join(dir, 'no-such-file');
    expect(rawEnvironment()).toBeUndefined();
  });
});
