import { chownSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorLine, fixture, makeSandbox, start, type StartResult } from './helpers/bundle.js';
import { USER } from './helpers/non-root.js';
import { newEncryptionKey } from './helpers/values.js';

/**
 * The writer's promises, each proven from outside: modes that do not depend on the umask, a
 * directory that is ours and not a link, data on disk (fsync) before it is published, and a set
 * of files replaced all together or not at all (the last two are in files.test.ts and write-faults.test.ts).
 */
const config = fixture('control-plane-ecs-demo.yaml');
const envoy = fixture('envoy-ecs-demo.yaml');

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
/** The files PipeCD is given (links into the current set, followed), and the set's own entries (`..data`, `..<time>`). */
const modes = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir)
      .filter((n) => !n.startsWith('..'))
      .map((n) => [n, mode(join(dir, n))]),
  );
const setModes = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.startsWith('..'))
    .map((n) => mode(join(dir, n)));
const failure = (r: StartResult) => ({ code: r.code, msg: errorLine(r)?.msg, hint: errorLine(r)?.hint, started: r.record !== undefined });

describe('the writer', () => {
  it.each(['0000', '0177', '0022', '0777'])('with umask %s: the directory is 0700 and every file 0600, exactly', async (umask) => {
    const r = await start({
      wrap: ['sh', '-c', `umask ${umask}; exec "$0" "$@"`],
      args: ['server'],
      env: { CONTROL_PLANE_CONFIG: config, ENCRYPTION_KEY: newEncryptionKey() },
    });
    expect(r.code).toBe(0);
    expect((statSync(r.sandbox.out).mode & 0o777).toString(8)).toBe('700');
    expect(modes(r.sandbox.out)).toEqual({ 'control-plane-config.yaml': '600', 'encryption-key': '600' });
    expect(setModes(r.sandbox.out)).toEqual(['700', '700']);
  });

  it('an output directory owned by another user is exit 77, even for root', async () => {
    const sandbox = makeSandbox();
    mkdirSync(sandbox.out, { mode: 0o700 });
    chownSync(sandbox.out, USER.uid, USER.gid);
    const r = await start({ sandbox, args: ['gateway'], env: { ENVOY_CONFIG: envoy } });
    expect(failure(r)).toEqual({
      code: 77,
      msg: `output directory ${sandbox.out} belongs to uid ${USER.uid}, not to the running user 0`,
      hint: 'use a directory of the container user',
      started: false,
    });
    expect(readdirSync(sandbox.out)).toEqual([]);
  });
});
