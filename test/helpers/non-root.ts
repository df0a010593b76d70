import { chmodSync, chownSync, cpSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BUNDLE, NODE20, STAND_IN, type Sandbox } from './bundle.js';

/**
 * A uid and gid no account on the machine uses: the tests run as root, where every permission
 * check passes, so the paths a container user meets are exercised by dropping to this one.
 */
export const USER = { uid: 47_110, gid: 47_110 } as const;

/** Runs the bootstrapper (and so the program) as USER, with no supplementary groups. */
export const AS_USER = ['setpriv', `--reuid=${USER.uid}`, `--regid=${USER.gid}`, '--clear-groups', '--'] as const;

/**
 * Gives the sandbox to USER, so that it can write its output and the stand-in its record, with its
 * own copies of the bundle and the stand-in: the checkout (or a mutation run's copy of it) may sit
 * in a directory only root can enter. Returns the command that starts the bootstrapper.
 */
export function handOver(sandbox: Sandbox): string[] {
  const dist = join(sandbox.root, 'dist');
  cpSync(dirname(BUNDLE), dist, { recursive: true });
  const standIn = join(sandbox.root, 'stand-in.mjs');
  cpSync(STAND_IN, standIn);
  for (const name of readdirSync(sandbox.bin)) {
    rmSync(join(sandbox.bin, name));
    symlinkSync(standIn, join(sandbox.bin, name));
  }
  chmodSync(sandbox.root, 0o755);
  for (const path of [sandbox.root, ...readdirSync(sandbox.root).map((name) => join(sandbox.root, name))]) {
    chownSync(path, USER.uid, USER.gid);
  }
  return [...AS_USER, NODE20, join(dist, 'pipecd-bootstrap.mjs')];
}
