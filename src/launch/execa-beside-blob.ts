import type { execa as Execa } from 'execa';
import { requireBesideBlob } from '../beside-blob.js';

/**
 * What `import('execa')` gives the startup snapshot's code (scripts/build.mjs swaps it in): execa
 * from dist/snapshot/execa.cjs, read at the first call. execa in the snapshot itself made every
 * start deserialize 4,600 of its functions for the one mode (a Node without process.execve) that uses it.
 */
export const execa = ((...args: unknown[]) =>
  requireBesideBlob<{ execa: (...args: unknown[]) => unknown }>('./execa.cjs').execa(...args)) as unknown as typeof Execa;
