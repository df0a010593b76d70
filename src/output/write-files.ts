import { chmodSync, closeSync, fchmodSync, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { RenderedFile } from '../domain.js';
import { cantCreate, noPermission, type BootstrapError } from '../errors.js';

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

function writeFailure(what: string, error: unknown): BootstrapError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  const failure = code === 'EACCES' || code === 'EPERM' ? noPermission : cantCreate;
  return failure(
    `${what} (${code})`,
    "PIPECD_BOOTSTRAP_DIR must be a writable directory of the container user, e.g. on the task's ephemeral storage",
  );
}

/** The output directory, owned by us and closed to everyone else, whatever state it was left in. */
function prepareDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  } catch (error) {
    throw writeFailure(`output directory ${dir} cannot be created`, error);
  }
  const stat = lstatSync(dir);
  if (!stat.isDirectory()) throw cantCreate(`output directory ${dir} is not a directory (or is a symbolic link)`);
  if (process.getuid && stat.uid !== process.getuid()) {
    throw noPermission(
      `output directory ${dir} belongs to uid ${stat.uid}, not to the running user ${process.getuid()}`,
      'use a directory of the container user',
    );
  }
  chmodSync(dir, DIR_MODE);
}

function writeTemp(file: RenderedFile): string {
  // O_EXCL guarantees the name is new; it only needs to differ from other starts' leftovers.
  const temp = join(dirname(file.path), `.${basename(file.path)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  const fd = openSync(temp, 'wx', FILE_MODE);
  try {
    // The open mode passes through the umask; the mode must not depend on it.
    fchmodSync(fd, FILE_MODE);
    let offset = 0;
    while (offset < file.contents.length) offset += writeSync(fd, file.contents, offset);
    fsyncSync(fd);
  } catch (error) {
    // A write that failed part-way (full disk) leaves part of a secret behind unless removed here.
    closeSync(fd);
    removeQuietly(temp);
    throw error;
  }
  closeSync(fd);
  return temp;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: nothing to clean.
  }
}

/**
 * Writes all files or none: each goes to a temp file (0600, fsync) first, and only when every one
 * is on disk are they renamed over the old ones. A file from an earlier start is replaced whole,
 * never appended to.
 */
export function writeFiles(dir: string, files: readonly RenderedFile[]): void {
  prepareDirectory(dir);
  const temps: string[] = [];
  try {
    for (const file of files) {
      try {
        temps.push(writeTemp(file));
      } catch (error) {
        throw writeFailure(`cannot write ${file.path}`, error);
      }
    }
    files.forEach((file, i) => {
      try {
        renameSync(temps[i]!, file.path);
      } catch (error) {
        throw writeFailure(`cannot move ${file.path} into place`, error);
      }
      temps[i] = '';
    });
  } finally {
    for (const temp of temps) if (temp) removeQuietly(temp);
  }
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
