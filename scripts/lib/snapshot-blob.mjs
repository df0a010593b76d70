// Builds the startup snapshot blob beside dist/snapshot/entry.cjs with a given Node (>= 22): a blob
// runs only on the Node binary that built it, so the tests and the benchmark build their own, and
// the images build theirs in a RUN step with the image's Node.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** @returns {string} the blob's path */
export function buildSnapshotBlob(node, snapshotDir) {
  const blob = join(snapshotDir, 'pipecd-bootstrap.blob');
  const r = spawnSync(node, ['--snapshot-blob', blob, '--build-snapshot', join(snapshotDir, 'entry.cjs')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the startup snapshot failed (${r.status}): ${r.stderr}`);
  return blob;
}

/**
 * Node's flags before the blob's path, as the images start it (docker/pipecd-bootstrap): V8 keeps the
 * string hash seed the blob was built with instead of rehashing every table of the snapshot at each
 * start (README, "The startup snapshot", says what that saves and what it gives up).
 */
export const SNAPSHOT_START = ['--no-rehash-snapshot', '--snapshot-blob'];

/** @returns {string[]} the command that starts the blob as the images do; the role and flags follow it */
export const snapshotCommand = (node, blob) => [node, ...SNAPSHOT_START, blob];
