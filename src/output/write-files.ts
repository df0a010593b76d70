import {
  chmodSync,
  closeSync,
  fchmodSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { RenderedFile } from '../domain.js';
import { cantCreate, noPermission, type BootstrapError } from '../errors.js';

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

/** The symlink that names the current set, and the prefix of every name that only lives while a start writes. */
export const DATA = '..data';
const TEMP = '..tmp_';
/** A set's directory: `..` and the time it was written, then mkdtemp's suffix (kubelet's naming). */
const SET_DIR = /^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.\d{3}\./;
/** Temp files of the writer before this one: `.NAME.PID.RANDOM.tmp`. */
const OLD_TEMP = /^\..+\.\d+\.[a-z0-9]+\.tmp$/;

const WRITABLE_HINT = "PIPECD_BOOTSTRAP_DIR must be a writable directory of the container user, e.g. on the task's ephemeral storage";
const READ_ONLY_HINT =
  'the file system is read-only (ECS readonlyRootFilesystem): mount a writable volume (an ECS bind-mount volume on the ephemeral storage of the task) and set PIPECD_BOOTSTRAP_DIR to a directory on it';

function writeFailure(what: string, error: unknown): BootstrapError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  if (code === 'EACCES' || code === 'EPERM') return noPermission(`${what} (${code})`, WRITABLE_HINT);
  if (code === 'EROFS') return cantCreate(`${what} (EROFS: read-only file system)`, READ_ONLY_HINT);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return cantCreate(
      `${what} (${code}: no space left)`,
      'free space on the volume of PIPECD_BOOTSTRAP_DIR or give the task more ephemeral storage',
    );
  }
  return cantCreate(`${what} (${code})`, WRITABLE_HINT);
}

const attempt = <T>(what: string, step: () => T): T => {
  try {
    return step();
  } catch (error) {
    throw writeFailure(what, error);
  }
};

const lstatOrUndefined = (path: string) => {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
};

/**
 * mkdir -p that makes every level it creates 0700 whatever the umask: a parent made with the umask
 * applied (0600 under umask 0177) could not be entered, which is why GNU mkdir -p also keeps u+wx on
 * the parents it makes. Level by level, also because Node's recursive mkdir reports a read-only file
 * system as ENOENT. A level that appears meanwhile is someone else's and is left as it is. True when
 * `dir` itself was made here.
 */
function makeDirectory(dir: string): boolean {
  const missing: string[] = [];
  for (let level = dir; lstatOrUndefined(level) === undefined && dirname(level) !== level; level = dirname(level)) missing.unshift(level);
  let madeLast = false;
  for (const level of missing) madeLast = makePrivateLevel(level);
  return madeLast;
}

/** One level, 0700 whatever the umask; false when it appeared meanwhile. */
function makePrivateLevel(level: string): boolean {
  try {
    mkdirSync(level, { mode: DIR_MODE });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  chmodSync(level, DIR_MODE);
  return true;
}

/**
 * The output directory: created 0700 when it does not exist. One that exists is used only when it
 * belongs to the running user and no one else can write to it; it is never chmod'ed (a shared
 * directory such as /tmp is refused, not closed). A trailing slash is dropped first: `dir/` would
 * make lstat follow a symbolic link.
 */
function prepareDirectory(dir: string): void {
  const created = attempt(`output directory ${dir} cannot be created`, () => makeDirectory(dir));
  const stat = lstatSync(dir);
  if (!stat.isDirectory()) throw cantCreate(`output directory ${dir} is not a directory (or is a symbolic link)`, WRITABLE_HINT);
  if (process.getuid && stat.uid !== process.getuid()) {
    throw noPermission(
      `output directory ${dir} belongs to uid ${stat.uid}, not to the running user ${process.getuid()}`,
      'use a directory of the container user',
    );
  }
  if (!created && (stat.mode & 0o022) !== 0) {
    throw cantCreate(
      `output directory ${dir} can be written by other users (mode ${(stat.mode & 0o7777).toString(8)})`,
      'set PIPECD_BOOTSTRAP_DIR to a directory of its own, e.g. /tmp/pipecd-bootstrap (it is created 0700); a shared directory such as /tmp is not changed',
    );
  }
}

/** What starts that died (SIGKILL during fsync, a full disk) left: sets never published, temp links, old temp files. */
function removeStale(dir: string): void {
  const current = lstatOrUndefined(join(dir, DATA))?.isSymbolicLink() ? readlinkSync(join(dir, DATA)) : undefined;
  // Whatever it is (a directory named like a temp link would otherwise fail every later start).
  for (const name of readdirSync(dir)) {
    if (name.startsWith(TEMP) || OLD_TEMP.test(name) || (SET_DIR.test(name) && name !== current)) {
      rmSync(join(dir, name), { recursive: true, force: true });
    }
  }
}

/** The stable paths must be ours to replace: a symbolic link, a file of an earlier writer, or nothing yet. */
function checkVisiblePaths(files: readonly RenderedFile[]): void {
  for (const file of files) {
    const stat = lstatOrUndefined(file.path);
    if (stat && !stat.isSymbolicLink() && !stat.isFile()) throw cantCreate(`${file.path} exists and is not a file`, WRITABLE_HINT);
  }
}

const timestamp = () => new Date().toISOString().replace(/[-T:]/g, '_').replace('Z', '');

function writeFile(path: string, contents: Buffer): void {
  const fd = openSync(path, 'wx', FILE_MODE);
  try {
    // The open mode passes through the umask; the mode must not depend on it.
    fchmodSync(fd, FILE_MODE);
    let offset = 0;
    while (offset < contents.length) offset += writeSync(fd, contents, offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The set in a fresh directory, all on disk; on any failure the directory and all in it are removed. */
function writeSet(dir: string, files: readonly RenderedFile[]): string {
  const setDir = attempt(`cannot create a directory in ${dir}`, () => mkdtempSync(join(dir, `..${timestamp()}.`)));
  try {
    // mkdtemp's 0700 passes through the umask (0177 would leave the set unreadable, 0777 closed): the mode must not depend on it.
    attempt(`cannot create a directory in ${dir}`, () => chmodSync(setDir, DIR_MODE));
    for (const file of files) attempt(`cannot write ${file.path}`, () => writeFile(join(setDir, basename(file.path)), file.contents));
    attempt(`cannot write the files in ${dir}`, () => fsyncDirectory(setDir));
    return setDir;
  } catch (error) {
    rmSync(setDir, { recursive: true, force: true });
    throw error;
  }
}

/** Makes `path` a symbolic link to `target`, replacing what is there in one rename. */
function replaceWithLink(dir: string, target: string, path: string): void {
  const temp = join(dir, `${TEMP}${basename(path)}`);
  rmSync(temp, { force: true });
  symlinkSync(target, temp);
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * AtomicWriter, as kubelet writes secret volumes (pkg/volume/util/atomic_writer.go): the files of a
 * start go into a fresh directory `..<time>.<random>` (0700, files 0600, fsync'ed); then one
 * rename(2) of a new symbolic link over `..data` publishes the whole set; the stable paths the
 * program is given are links `NAME -> ..data/NAME`. A reader sees the old set or the new set, never
 * a mix, and a start that fails (full disk, read-only file system, killed) leaves the old set
 * published and, by the next start, nothing of its own. The set of the previous start is removed
 * after the switch. One bootstrapper writes a directory at a time.
 */
export function writeFiles(outputDir: string, files: readonly RenderedFile[]): void {
  const dir = resolve(outputDir);
  prepareDirectory(dir);
  attempt(`cannot clean ${dir}`, () => removeStale(dir));
  checkVisiblePaths(files);
  const previous = lstatOrUndefined(join(dir, DATA))?.isSymbolicLink() ? readlinkSync(join(dir, DATA)) : undefined;
  const setDir = writeSet(dir, files);
  try {
    attempt(`cannot publish the files in ${dir}`, () => replaceWithLink(dir, basename(setDir), join(dir, DATA)));
  } catch (error) {
    rmSync(setDir, { recursive: true, force: true });
    throw error;
  }
  const names = new Set(files.map((f) => basename(f.path)));
  for (const file of files) {
    const target = join(DATA, basename(file.path));
    const stat = lstatOrUndefined(file.path);
    if (stat?.isSymbolicLink() && readlinkSync(file.path) === target) continue;
    attempt(`cannot move ${file.path} into place`, () => replaceWithLink(dir, target, file.path));
  }
  // Links of the previous set that this one does not have (another role in the same directory).
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!names.has(name) && lstatOrUndefined(path)?.isSymbolicLink() && readlinkSync(path) === join(DATA, name)) unlinkSync(path);
  }
  attempt(`cannot write ${dir}`, () => fsyncDirectory(dir));
  if (previous !== undefined && previous !== basename(setDir) && SET_DIR.test(previous)) {
    rmSync(join(dir, previous), { recursive: true, force: true });
  }
}
