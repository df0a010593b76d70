import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Gives the test run a temporary directory of its own, as TMPDIR, and removes it at the end: the
 * sandboxes, temp dirs and mounts points the tests make are then gone with the run, even when a test
 * (or a mutant under `npm run mutate`) dies before its own clean-up. Workers and the processes they
 * start inherit TMPDIR. Sticky and open to all like /tmp, for the tests that run as a non-root user.
 */
export function useRunTmpdir(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'pipecd-bootstrap-run-'));
  chmodSync(dir, 0o1777);
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
}
