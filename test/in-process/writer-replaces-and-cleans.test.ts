import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { InputName, RenderedFile } from '../../src/domain.js';
import { writeFiles } from '../../src/output/write-files.js';
import { failureOf } from '../helpers/failure.js';

/**
 * The writer on real directories under the temp dir, past the paths writer.test.ts takes: a stable
 * link that points elsewhere, a `..data` that is no link, a dangling `..data`, what the cleanup
 * cannot remove, a link that cannot be moved into place, an immutable directory (a real EPERM for
 * root), and the errno of a failing write mapped to its exit code, message and hint.
 */
const root = mkdtempSync(join(tmpdir(), 'writer-cleans-'));
let n = 0;
const fresh = () => join(root, `out-${++n}`);
const file = (dir: string, name: string, contents: string | Buffer, input: InputName = 'ENVOY_CONFIG'): RenderedFile => ({
  input,
  path: join(dir, name),
  contents: Buffer.isBuffer(contents) ? contents : Buffer.from(contents),
});
const SET = /^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.\d{3}\.[A-Za-z0-9]{6}$/;
const sets = (dir: string) => readdirSync(dir).filter((name) => SET.test(name));
const listing = (dir: string) => readdirSync(dir).sort();

const WRITABLE_HINT = "PIPECD_BOOTSTRAP_DIR must be a writable directory of the container user, e.g. on the task's ephemeral storage";
const SPACE_HINT = 'free space on the volume of PIPECD_BOOTSTRAP_DIR or give the task more ephemeral storage';

/**
 * Contents whose write fails as a system call would, with `code` (or none): the writer sees it at its
 * first look at the bytes. Used only for the errnos this run cannot cause for real (root passes
 * EACCES, no quota is set for EDQUOT); test/non-root.test.ts and test/write-faults.test.ts cause them
 * for real through the bundle where they can.
 */
const failingContents = (code: string | undefined) =>
  ({
    get length(): number {
      throw Object.assign(new Error('the write failed'), code === undefined ? {} : { code });
    },
  }) as unknown as Buffer;

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('writeFiles replaces and cleans', () => {
  it('a stable link that points anywhere but into ..data is replaced by the link into it', () => {
    const dir = fresh();
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'elsewhere'), 'not ours');
    symlinkSync('elsewhere', join(dir, 'a'));
    symlinkSync('..data/b.old', join(dir, 'b'));
    writeFiles(dir, [file(dir, 'a', 'A'), file(dir, 'b', 'B')]);
    const [set] = sets(dir);
    expect(listing(dir)).toEqual(['..data', set, 'a', 'b', 'elsewhere'].sort());
    expect(readlinkSync(join(dir, 'a'))).toBe('..data/a');
    expect(readlinkSync(join(dir, 'b'))).toBe('..data/b');
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('A');
    expect(readFileSync(join(dir, 'b'), 'utf8')).toBe('B');
    expect(readFileSync(join(dir, 'elsewhere'), 'utf8')).toBe('not ours');
  });

  it('a ..data that is a directory cannot be replaced: exit 73 (EISDIR), the new set and the temp link removed, nothing else touched', () => {
    const dir = fresh();
    mkdirSync(join(dir, '..data'), { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, '..data', 'a'), 'by hand');
    expect(failureOf(() => writeFiles(dir, [file(dir, 'a', 'A')]))).toEqual({
      exitCode: 73,
      message: `cannot publish the files in ${dir} (EISDIR)`,
      hint: WRITABLE_HINT,
    });
    expect(listing(dir)).toEqual(['..data']);
    expect(lstatSync(join(dir, '..data')).isDirectory()).toBe(true);
    expect(readdirSync(join(dir, '..data'))).toEqual(['a']);
    expect(readFileSync(join(dir, '..data', 'a'), 'utf8')).toBe('by hand');
  });

  it('a ..data left pointing at a set that is gone is replaced, and the start succeeds', () => {
    const dir = fresh();
    mkdirSync(dir, { mode: 0o700 });
    symlinkSync('..2020_01_02_03_04_05.678.AbC123', join(dir, '..data'));
    symlinkSync('..data/a', join(dir, 'a'));
    writeFiles(dir, [file(dir, 'a', 'A')]);
    const [set] = sets(dir);
    expect(set).not.toBe('..2020_01_02_03_04_05.678.AbC123');
    expect(listing(dir)).toEqual(['..data', set, 'a'].sort());
    expect(readlinkSync(join(dir, '..data'))).toBe(set);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('A');
  });

  it('leftovers named like temp links or old temp files are removed whatever they are, directories too', () => {
    const dir = fresh();
    writeFiles(dir, [file(dir, 'a', 'first')]);
    const before = listing(dir);
    mkdirSync(join(dir, '..tmp_x', 'inner'), { recursive: true });
    mkdirSync(join(dir, '.a.123.abc.tmp'));
    writeFileSync(join(dir, '.b.45.z9.tmp'), 'old temp');
    writeFiles(dir, [file(dir, 'a', 'second')]);
    expect(listing(dir)).toEqual(before.map((name) => (SET.test(name) ? sets(dir)[0]! : name)).sort());
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('second');
  });

  it('a stable path whose directory is missing: exit 73 naming it, after the set was published; no temp link left', () => {
    const dir = fresh();
    expect(failureOf(() => writeFiles(dir, [file(dir, 'sub/a', 'A')]))).toEqual({
      exitCode: 73,
      message: `cannot move ${join(dir, 'sub', 'a')} into place (ENOENT)`,
      hint: WRITABLE_HINT,
    });
    const [set] = sets(dir);
    expect(listing(dir)).toEqual(['..data', set].sort());
    expect(readlinkSync(join(dir, '..data'))).toBe(set);
    expect(readFileSync(join(dir, '..data', 'a'), 'utf8')).toBe('A');
  });
});

describe('writeFiles maps the errno of a failed write', () => {
  it.each([
    ['EACCES', 77, 'cannot write {path} (EACCES)', WRITABLE_HINT],
    ['EPERM', 77, 'cannot write {path} (EPERM)', WRITABLE_HINT],
    ['EDQUOT', 73, 'cannot write {path} (EDQUOT: no space left)', SPACE_HINT],
    ['ENOSPC', 73, 'cannot write {path} (ENOSPC: no space left)', SPACE_HINT],
    ['EIO', 73, 'cannot write {path} (EIO)', WRITABLE_HINT],
    [undefined, 73, 'cannot write {path} (error)', WRITABLE_HINT],
  ] as const)('%s: exit %i, the partial set removed, the published set whole', (code, exitCode, message, hint) => {
    const dir = fresh();
    writeFiles(dir, [file(dir, 'a', 'first')]);
    const before = listing(dir);
    const failing: RenderedFile = { input: 'PIPED_KEY', path: join(dir, 'b'), contents: failingContents(code) };
    expect(failureOf(() => writeFiles(dir, [file(dir, 'a', 'second'), failing]))).toEqual({
      exitCode,
      message: message.replace('{path}', join(dir, 'b')),
      hint,
    });
    expect(listing(dir)).toEqual(before);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('first');
  });
});

/** chattr +i: not even root may create an entry in the directory, a real EPERM. */
describe.skipIf(process.getuid?.() !== 0)('writeFiles into an immutable directory', () => {
  const immutable = (path: string, on: boolean) => execFileSync('chattr', [on ? '+i' : '-i', path]);

  it('EPERM: exit 77, the published set and its links untouched', () => {
    const dir = fresh();
    writeFiles(dir, [file(dir, 'a', 'first')]);
    const before = listing(dir);
    immutable(dir, true);
    try {
      expect(failureOf(() => writeFiles(dir, [file(dir, 'a', 'second')]))).toEqual({
        exitCode: 77,
        message: `cannot create a directory in ${dir} (EPERM)`,
        hint: WRITABLE_HINT,
      });
    } finally {
      immutable(dir, false);
    }
    expect(listing(dir)).toEqual(before);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('first');
  });
});
