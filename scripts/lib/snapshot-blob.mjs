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
