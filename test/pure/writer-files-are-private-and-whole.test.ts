import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RenderedFile } from '../../src/domain.js';
import { DIR_MODE, FILE_MODE, writeFiles } from '../../src/output/write-files.js';
import { described, failure } from './support/render.js';

/**
 * The writer on real files, in-process. What only a process can show (the umask, fsync, a full
 * disk) is in test/files-private-durable-all-or-none.test.ts.
 */
const WRITABLE_DIR_HINT = "PIPECD_BOOTSTRAP_DIR must be a writable directory of the container user, e.g. on the task's ephemeral storage";
const root = () => mkdtempSync(join(tmpdir(), 'writer-'));
const files = (dir: string, ...contents: string[]): RenderedFile[] =>
  contents.map((text, i) => ({
    input: i === 0 ? 'CONTROL_PLANE_CONFIG' : 'ENCRYPTION_KEY',
    path: join(dir, i === 0 ? 'config.yaml' : 'key'),
    contents: Buffer.from(text),
  }));
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
const leftovers = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

describe('writeFiles', () => {
  it('the modes are 0600 and 0700', () => {
    expect([FILE_MODE, DIR_MODE]).toEqual([0o600, 0o700]);
  });

  it('a new directory 0700 and files 0600 (under any umask: test/files-private-durable-all-or-none.test.ts), the bytes exactly', () => {
    const dir = join(root(), 'a', 'b');
    writeFiles(dir, files(dir, 'apiVersion: x\n', 'k\n'));
    expect(mode(dir)).toBe('700');
    expect([mode(join(dir, 'config.yaml')), mode(join(dir, 'key'))]).toEqual(['600', '600']);
    expect(readFileSync(join(dir, 'config.yaml'), 'utf8')).toBe('apiVersion: x\n');
    expect(readFileSync(join(dir, 'key'), 'utf8')).toBe('k\n');
    expect(leftovers(dir)).toEqual([]);
  });

  it('an existing directory left open is closed to 0700; an old file, longer and 0644, is replaced whole', () => {
    const dir = join(root(), 'out');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'key'), 'an old, much longer key');
    chmodSync(join(dir, 'key'), 0o644);
    writeFiles(dir, files(dir, 'c', 'new'));
    expect(mode(dir)).toBe('700');
    expect(mode(join(dir, 'key'))).toBe('600');
    expect(readFileSync(join(dir, 'key'), 'utf8')).toBe('new');
  });

  it('an empty file and a large one are written whole', () => {
    const dir = join(root(), 'out');
    const big = 'x'.repeat(3 * 1024 * 1024 + 7);
    writeFiles(dir, files(dir, '', big));
    expect(statSync(join(dir, 'config.yaml')).size).toBe(0);
    expect(readFileSync(join(dir, 'key'), 'utf8')).toBe(big);
  });

  it('an output directory that is a symbolic link is refused, even to a good directory', () => {
    const base = root();
    mkdirSync(join(base, 'real'), { mode: 0o700 });
    symlinkSync(join(base, 'real'), join(base, 'out'));
    const dir = join(base, 'out');
    expect(described(failure(() => writeFiles(dir, files(dir, 'c'))))).toEqual({
      exitCode: 73,
      message: `output directory ${dir} is not a directory (or is a symbolic link)`,
      hint: undefined,
    });
    expect(readdirSync(join(base, 'real'))).toEqual([]);
  });

  it('an output directory that is a file is refused', () => {
    const dir = join(root(), 'out');
    writeFileSync(dir, '');
    expect(described(failure(() => writeFiles(dir, files(dir, 'c'))))).toEqual({
      exitCode: 73,
      message: `output directory ${dir} cannot be created (EEXIST)`,
      hint: WRITABLE_DIR_HINT,
    });
  });

  it('an output directory below a file cannot be created', () => {
    const base = root();
    writeFileSync(join(base, 'file'), '');
    const dir = join(base, 'file', 'out');
    expect(described(failure(() => writeFiles(dir, files(dir, 'c'))))).toEqual({
      exitCode: 73,
      message: `output directory ${dir} cannot be created (ENOTDIR)`,
      hint: WRITABLE_DIR_HINT,
    });
  });

  it('an output directory of another user is refused and left as it was', () => {
    const dir = join(root(), 'out');
    mkdirSync(dir, { mode: 0o755 });
    chownSync(dir, 47_110, 47_110);
    expect(described(failure(() => writeFiles(dir, files(dir, 'c'))))).toEqual({
      exitCode: 77,
      message: `output directory ${dir} belongs to uid 47110, not to the running user ${process.getuid!()}`,
      hint: 'use a directory of the container user',
    });
    expect(mode(dir)).toBe('755');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a file that cannot be moved into place is exit 73, and no temp file is left', () => {
    const dir = join(root(), 'out');
    mkdirSync(join(dir, 'key'), { recursive: true });
    writeFileSync(join(dir, 'key', 'keep'), '');
    expect(described(failure(() => writeFiles(dir, files(dir, 'c', 'k'))))).toEqual({
      exitCode: 73,
      message: `cannot move ${join(dir, 'key')} into place (EISDIR)`,
      hint: WRITABLE_DIR_HINT,
    });
    expect(leftovers(dir)).toEqual([]);
  });

  it('a file whose temp cannot be created is exit 73, and no file of the set is written', () => {
    const dir = join(root(), 'out');
    const set = files(dir, 'c', 'k');
    const missing = { ...set[1]!, path: join(dir, 'no-such-dir', 'key') };
    expect(described(failure(() => writeFiles(dir, [set[0]!, missing])))).toEqual({
      exitCode: 73,
      message: `cannot write ${missing.path} (ENOENT)`,
      hint: WRITABLE_DIR_HINT,
    });
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(set[0]!.path)).toBe(false);
  });
});
