import { chmodSync, chownSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from './bundle.js';

/**
 * A uid and gid no account on the machine uses: the tests run as root, where every permission
 * check passes, so the paths a container user meets are exercised by dropping to this one.
 */
export const USER = { uid: 47_110, gid: 47_110 } as const;

/** Runs the bootstrapper (and so the program) as USER, with no supplementary groups. */
export const AS_USER = ['setpriv', `--reuid=${USER.uid}`, `--regid=${USER.gid}`, '--clear-groups', '--'] as const;

/** Gives the sandbox to USER, so that it can write its output and the stand-in its record. */
export function handOver(sandbox: Sandbox): void {
  chownSync(sandbox.root, USER.uid, USER.gid);
  chmodSync(sandbox.root, 0o755);
  for (const name of readdirSync(sandbox.root)) chownSync(join(sandbox.root, name), USER.uid, USER.gid);
}
