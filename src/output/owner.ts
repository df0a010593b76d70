import { chownSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { Owner, RenderedFile, RoleSpec } from '../domain.js';
import { noPermission } from '../errors.js';
import { DATA } from './write-files.js';

/**
 * Who must own the files an init container writes for the program's container: the program's user
 * (PIPECD_BOOTSTRAP_OWNER, else the user of its official image), since they are 0600 in a 0700
 * directory. Returns undefined when they can stay as written: this process is that user, or the
 * program runs as root, which reads them anyway. Only root can give files away, so any other user
 * is refused before anything is written.
 */
export function ownerFor(role: RoleSpec, explicit: Owner | undefined, uid: number, gid: number): Owner | undefined {
  const target = explicit ?? role.imageUser;
  if (target.uid === uid && target.gid === gid) return undefined;
  if (uid === 0) return target;
  if (target.uid === 0 && explicit === undefined) return undefined;
  throw noPermission(
    `the files must belong to ${target.uid}:${target.gid}, the user of ${role.name}'s program, and only root can give them away; this runs as ${uid}:${gid}`,
    `run the init container as root ("user": "0", needed anyway on a Fargate bind mount, which is root's) or as ${target.uid}:${target.gid}`,
  );
}

/**
 * Gives the directory, the set directory its `..data` link points at, and the files (through their
 * links) to the program's user (root only; see ownerFor): the program must be able to pass through
 * each 0700 directory to reach its 0600 files.
 */
export function giveFiles(dir: string, files: readonly RenderedFile[], owner: Owner): void {
  for (const path of [dir, realpathSync(join(dir, DATA)), ...files.map((f) => f.path)]) {
    try {
      chownSync(path, owner.uid, owner.gid);
    } catch (error) {
      throw noPermission(`cannot give ${path} to ${owner.uid}:${owner.gid} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
}
