import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputName, RenderedFile } from '../../src/domain.js';
import { giveFiles, ownerFor } from '../../src/output/owner.js';
import { writeFiles } from '../../src/output/write-files.js';
import { ROLES } from '../../src/roles/index.js';
import { USER } from '../helpers/non-root.js';
import { failureOf } from '../helpers/failure.js';

/**
 * The writer (AtomicWriter) in-process, on real directories under the temp dir: modes, bytes, links,
 * the cleanup of what earlier starts left, the refusals, and the errno of each failure mapped to its
 * exit code and message. A full disk and a read-only file system are real tmpfs mounts (root only;
 * the suite runs as root: test/non-root.test.ts covers the permission paths as another user).
 */
const root = mkdtempSync(join(tmpdir(), 'writer-'));
let n = 0;
const fresh = () => join(root, `out-${++n}`);
const file = (dir: string, name: string, contents: string | Buffer, input: InputName = 'ENVOY_CONFIG'): RenderedFile => ({
  input,
  path: join(dir, name),
  contents: Buffer.isBuffer(contents) ? contents : Buffer.from(contents),
});
const mode = (path: string) => (lstatSync(path).mode & 0o7777).toString(8);
const SET = /^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.\d{3}\.[A-Za-z0-9]{6}$/;
const sets = (dir: string) => readdirSync(dir).filter((name) => SET.test(name));

const WRITABLE_HINT = "PIPECD_BOOTSTRAP_DIR must be a writable directory of the container user, e.g. on the task's ephemeral storage";

/**
 * 0277 for root (for another user 0077, which still lets the suite write its own files). A worker
 * thread (vitest.pure.config.ts, Stryker) cannot set the umask: test/helpers/pure-setup.ts sets it
 * for the whole process; a forked test process (vitest.config.ts) sets it here.
 */
const UMASK = process.getuid?.() === 0 ? 0o277 : 0o077;
let umaskBefore: number | undefined;
beforeAll(() => {
  if (isMainThread) umaskBefore = process.umask(UMASK);
});
afterAll(() => {
  if (umaskBefore !== undefined) process.umask(umaskBefore);
  rmSync(root, { recursive: true, force: true });
});

describe('writeFiles', () => {
  it('under umask 0277: a new directory 0700, the set 0700, the files 0600, the exact bytes', () => {
    // A mode left to the umask would come out 0400 or 0500 here.
    expect(process.umask()).toBe(UMASK);
    const top = fresh();
    const dir = join(top, 'nested', 'out');
    const key = Buffer.from([0, 1, 2, 0xff, 0x0a, 0x0d, 0x80]);
    writeFiles(dir, [file(dir, 'envoy-config.yaml', 'static_resources: {}\n'), file(dir, 'key', key, 'ENCRYPTION_KEY')]);
    expect(mode(dir)).toBe('700');
    const [set] = sets(dir);
    expect(readdirSync(dir).sort()).toEqual(['..data', set, 'envoy-config.yaml', 'key'].sort());
    expect(mode(join(dir, set!))).toBe('700');
    expect(readlinkSync(join(dir, '..data'))).toBe(set);
    expect(readlinkSync(join(dir, 'key'))).toBe('..data/key');
    expect(readlinkSync(join(dir, 'envoy-config.yaml'))).toBe('..data/envoy-config.yaml');
    expect(readdirSync(join(dir, set!)).sort()).toEqual(['envoy-config.yaml', 'key']);
    expect(mode(join(dir, set!, 'key'))).toBe('600');
    expect(mode(join(dir, set!, 'envoy-config.yaml'))).toBe('600');
    expect(readFileSync(join(dir, 'key'))).toEqual(key);
    expect(readFileSync(join(dir, 'envoy-config.yaml'), 'utf8')).toBe('static_resources: {}\n');
  });

  it('a large file is written whole', () => {
    const dir = fresh();
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 'x');
    writeFiles(dir, [file(dir, 'big', big)]);
    expect(readFileSync(join(dir, 'big')).equals(big)).toBe(true);
  });

  it('a relative directory is resolved against the working directory', () => {
    const dir = fresh();
    const rel = relative(process.cwd(), dir);
    writeFiles(`${rel}/`, [file(dir, 'a', 'A')]);
    expect(readlinkSync(join(dir, 'a'))).toBe('..data/a');
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('A');
  });

  it('an existing directory of ours that others cannot write is used as it is, mode unchanged', () => {
    const dir = fresh();
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFiles(dir, [file(dir, 'a', 'A')]);
    expect(mode(dir)).toBe('755');
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('A');
  });

  it('a second start replaces the set in one switch: new bytes, the old set gone, links of files it no longer has removed, the rest kept', () => {
    const dir = fresh();
    writeFiles(dir, [file(dir, 'a', 'old a'), file(dir, 'b', 'old b')]);
    const [first] = sets(dir);
    writeFileSync(join(dir, 'unrelated'), 'mine');
    symlinkSync('/etc/hostname', join(dir, 'elsewhere'));
    symlinkSync('..data/other', join(dir, 'c'));
    writeFiles(dir, [file(dir, 'a', 'new a')]);
    const [second] = sets(dir);
    expect(second).not.toBe(first);
    expect(readdirSync(dir).sort()).toEqual(['..data', second, 'a', 'c', 'elsewhere', 'unrelated'].sort());
    expect(readlinkSync(join(dir, 'c'))).toBe('..data/other');
    expect(readlinkSync(join(dir, '..data'))).toBe(second);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('new a');
    expect(readFileSync(join(dir, 'unrelated'), 'utf8')).toBe('mine');
    expect(readlinkSync(join(dir, 'elsewhere'))).toBe('/etc/hostname');
    expect(readdirSync(join(dir, second!))).toEqual(['a']);
  });

  it('a regular file at a stable path (an earlier writer) is replaced by the link', () => {
    const dir = fresh();
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'a'), 'from an older writer');
    writeFiles(dir, [file(dir, 'a', 'A')]);
    expect(lstatSync(join(dir, 'a')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('A');
  });

  it('a link that already points where it should is kept as it is (same inode)', () => {
    const dir = fresh();
    writeFiles(dir, [file(dir, 'a', 'one')]);
    const before = lstatSync(join(dir, 'a')).ino;
    writeFiles(dir, [file(dir, 'a', 'two')]);
    expect(lstatSync(join(dir, 'a')).ino).toBe(before);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('two');
  });

  it('what died starts left is removed: unpublished sets, temp links, old temp files; the published set and other names stay', () => {
    const dir = fresh();
    writeFiles(dir, [file(dir, 'a', 'A')]);
    const [published] = sets(dir);
    const stale = '..2020_01_02_03_04_05.678.AbC123';
    mkdirSync(join(dir, stale));
    writeFileSync(join(dir, stale, 'a'), 'half');
    symlinkSync('..data/a', join(dir, '..tmp_a'));
    writeFileSync(join(dir, '.a.123.k3x9.tmp'), 'old temp');
    writeFileSync(join(dir, '.keep.tmp'), 'not a temp of ours');
    // Names only like the patterns, not of them: kept.
    const lookalikes = ['keep.a.123.k3x9.tmp', '.a.123.k3x9.tmpx', 'x..2020_01_02_03_04_05.678.AbC123'];
    for (const name of lookalikes) writeFileSync(join(dir, name), 'not ours');
    // The shortest old temp file name is removed too.
    writeFileSync(join(dir, '.ab.1.z.tmp'), 'old temp');
    writeFileSync(join(dir, '..2020_01_02'), 'not a set');
    // A start that fails before the switch: the cleanup has run, the published set is untouched.
    mkdirSync(join(dir, 'b'));
    expect(failureOf(() => writeFiles(dir, [file(dir, 'b', 'B')]))).toEqual({
      exitCode: 73,
      message: `${join(dir, 'b')} exists and is not a file`,
      hint: WRITABLE_HINT,
    });
    expect(readdirSync(dir).sort()).toEqual(['..2020_01_02', '..data', '.keep.tmp', ...lookalikes, published, 'a', 'b'].sort());
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('A');
  });

  it('a published set named by a link is never taken for a stale one, and an earlier set not named like one is not removed', () => {
    const dir = fresh();
    mkdirSync(dir, { mode: 0o700 });
    mkdirSync(join(dir, 'handmade'));
    writeFileSync(join(dir, 'handmade', 'a'), 'by hand');
    symlinkSync('handmade', join(dir, '..data'));
    writeFiles(dir, [file(dir, 'a', 'A')]);
    expect(readFileSync(join(dir, 'handmade', 'a'), 'utf8')).toBe('by hand');
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('A');
  });

  it('an output path that is a file is refused (exit 73), saying what it is', () => {
    const dir = fresh();
    writeFileSync(dir, 'x');
    expect(failureOf(() => writeFiles(dir, [file(dir, 'a', 'A')]))).toEqual({
      exitCode: 73,
      message: `output directory ${dir} is not a directory (or is a symbolic link)`,
      hint: WRITABLE_HINT,
    });
  });

  it('an output path that is a symbolic link to a directory is refused (exit 73), also written with a trailing slash; nothing written', () => {
    const dir = fresh();
    mkdirSync(`${dir}.real`);
    symlinkSync(`${dir}.real`, dir);
    expect(failureOf(() => writeFiles(`${dir}/`, [file(dir, 'a', 'A')]))).toEqual({
      exitCode: 73,
      message: `output directory ${dir} is not a directory (or is a symbolic link)`,
      hint: WRITABLE_HINT,
    });
    expect(readdirSync(`${dir}.real`)).toEqual([]);
  });

  it('a directory below a file cannot be created: exit 73 with the errno', () => {
    const parent = fresh();
    writeFileSync(parent, 'x');
    expect(failureOf(() => writeFiles(join(parent, 'out'), []))).toEqual({
      exitCode: 73,
      message: `output directory ${join(parent, 'out')} cannot be created (ENOTDIR)`,
      hint: WRITABLE_HINT,
    });
  });

  it.each([0o775, 0o757, 0o777, 0o1777])('an existing directory others can write (mode %o) is refused and not changed', (m) => {
    const dir = fresh();
    mkdirSync(dir);
    chmodSync(dir, m);
    expect(failureOf(() => writeFiles(dir, [file(dir, 'a', 'A')]))).toEqual({
      exitCode: 73,
      message: `output directory ${dir} can be written by other users (mode ${m.toString(8)})`,
      hint: 'set PIPECD_BOOTSTRAP_DIR to a directory of its own, e.g. /tmp/pipecd-bootstrap (it is created 0700); a shared directory such as /tmp is not changed',
    });
    expect(mode(dir)).toBe(m.toString(8));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a directory of another user is refused (exit 77), even for root', () => {
    const dir = fresh();
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, USER.uid, USER.gid);
    expect(failureOf(() => writeFiles(dir, [file(dir, 'a', 'A')]))).toEqual({
      exitCode: 77,
      message: `output directory ${dir} belongs to uid ${USER.uid}, not to the running user ${process.getuid!()}`,
      hint: 'use a directory of the container user',
    });
    expect(readdirSync(dir)).toEqual([]);
  });
});

/** Real tmpfs mounts: a tiny one (a full disk) and a read-only one. */
describe.skipIf(process.getuid?.() !== 0)('writeFiles on a full disk and on a read-only file system', () => {
  const mnt = mkdtempSync(join(tmpdir(), 'writer-mnt-'));
  const full = join(mnt, 'full');
  const ro = join(mnt, 'ro');
  beforeAll(() => {
    mkdirSync(full);
    mkdirSync(ro);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', full]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,mode=0700', 'tmpfs', ro]);
  });
  afterAll(() => {
    for (const m of [full, ro]) execFileSync('umount', ['-l', m]);
    rmSync(mnt, { recursive: true, force: true });
  });

  it('ENOSPC: exit 73, the partial set removed, the published set still whole', () => {
    const dir = join(full, 'out');
    writeFiles(dir, [file(dir, 'a', 'first')]);
    const before = readdirSync(dir).sort();
    expect(failureOf(() => writeFiles(dir, [file(dir, 'small', 'ok'), file(dir, 'a', Buffer.alloc(200 * 1024, 'x'))]))).toEqual({
      exitCode: 73,
      message: `cannot write ${join(dir, 'a')} (ENOSPC: no space left)`,
      hint: 'free space on the volume of PIPECD_BOOTSTRAP_DIR or give the task more ephemeral storage',
    });
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('first');
    writeFiles(dir, [file(dir, 'a', 'second')]);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('second');
  });

  it.each([
    ['the directory itself', ''],
    ['a directory below it', '/below/out'],
  ])('EROFS on %s: exit 73, named as a read-only file system', (_what, below) => {
    const dir = `${ro}${below}`;
    expect(failureOf(() => writeFiles(dir, [file(dir, 'a', 'A')]))).toEqual(
      below === ''
        ? {
            exitCode: 73,
            message: `cannot create a directory in ${dir} (EROFS: read-only file system)`,
            hint: 'the file system is read-only (ECS readonlyRootFilesystem): mount a writable volume (an ECS bind-mount volume on the ephemeral storage of the task) and set PIPECD_BOOTSTRAP_DIR to a directory on it',
          }
        : {
            exitCode: 73,
            message: `output directory ${dir} cannot be created (EROFS: read-only file system)`,
            hint: 'the file system is read-only (ECS readonlyRootFilesystem): mount a writable volume (an ECS bind-mount volume on the ephemeral storage of the task) and set PIPECD_BOOTSTRAP_DIR to a directory on it',
          },
    );
  });
});

describe('owner', () => {
  const piped = ROLES.piped;
  it('the files stay as written when this process is already the user, or the program runs as root', () => {
    expect(ownerFor(piped, undefined, piped.imageUser.uid, piped.imageUser.gid)).toBeUndefined();
    expect(ownerFor(ROLES.server, undefined, 1234, 1234)).toBeUndefined();
  });
  it('root gives them to the program user, or to the one asked for', () => {
    expect(ownerFor(piped, undefined, 0, 0)).toEqual(piped.imageUser);
    expect(ownerFor(piped, { uid: 5, gid: 6 }, 0, 0)).toEqual({ uid: 5, gid: 6 });
    expect(ownerFor(piped, { uid: 0, gid: 6 }, 0, 0)).toEqual({ uid: 0, gid: 6 });
  });
  it('another user cannot give them away: exit 77 before anything is written', () => {
    expect(failureOf(() => ownerFor(ROLES.server, { uid: 0, gid: 0 }, 7, 8))).toEqual({
      exitCode: 77,
      message: "the files must belong to 0:0, the user of server's program, and only root can give them away; this runs as 7:8",
      hint: 'run the init container as root ("user": "0", needed anyway on a Fargate bind mount, which is root\'s) or as 0:0',
    });
    expect(failureOf(() => ownerFor(piped, undefined, 7, 8)).message).toBe(
      `the files must belong to ${piped.imageUser.uid}:${piped.imageUser.gid}, the user of piped's program, and only root can give them away; this runs as 7:8`,
    );
  });
  it('giveFiles gives the directory, the set and each file to the user', () => {
    const dir = fresh();
    writeFiles(dir, [file(dir, 'a', 'A'), file(dir, 'b', 'B')]);
    const set = realpathSync(join(dir, '..data'));
    giveFiles(dir, [file(dir, 'a', 'A')], USER);
    const owner = (p: string) => `${statSync(p).uid}:${statSync(p).gid}`;
    const u = `${USER.uid}:${USER.gid}`;
    expect([owner(dir), owner(set), owner(join(dir, 'a')), owner(join(dir, 'b'))]).toEqual([u, u, u, '0:0']);
    expect(failureOf(() => giveFiles(dir, [file(dir, 'missing', 'x')], USER))).toEqual({
      exitCode: 77,
      message: `cannot give ${join(dir, 'missing')} to ${USER.uid}:${USER.gid} (ENOENT)`,
      hint: undefined,
    });
  });
});
