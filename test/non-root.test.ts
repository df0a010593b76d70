import { chmodSync, chownSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorLine, fixture, makeSandbox, start, type StartResult } from './helpers/bundle.js';
import { handOver, USER } from './helpers/non-root.js';

/**
 * Tests run as root, and root reads any file and enters any directory: these run the bootstrapper
 * as an unprivileged uid (setpriv), as a container user (piped's image runs as uid 1000), so that
 * the permission paths are really taken.
 */
const envoy = fixture('envoy-ecs-demo.yaml');
const WRITABLE_DIR_HINT = "PIPECD_BOOTSTRAP_DIR must be a writable directory of the container user, e.g. on the task's ephemeral storage";

const failure = (r: StartResult) => ({ code: r.code, msg: errorLine(r)?.msg, hint: errorLine(r)?.hint, started: r.record !== undefined });

function userSandbox() {
  const sandbox = makeSandbox();
  return { sandbox, command: handOver(sandbox) };
}

describe('as a user that is not root', () => {
  it("the setpriv wrapper really drops root: the files are the user's, 0600 in a 0700 directory", async () => {
    const { sandbox, command } = userSandbox();
    const r = await start({ sandbox, command, args: ['gateway'], env: { ENVOY_CONFIG: envoy } });
    expect(r.code).toBe(0);
    expect(r.record!.files).toEqual([
      expect.objectContaining({ path: join(sandbox.out, 'envoy-config.yaml'), mode: '600', uid: USER.uid }),
    ]);
    expect(statSync(sandbox.out)).toMatchObject({ uid: USER.uid, gid: USER.gid });
    expect(statSync(sandbox.out).mode & 0o777).toBe(0o700);
  });

  it('under umask 0177, the output directory and every parent the start makes are 0700, so the user can enter them', async () => {
    const { sandbox, command } = userSandbox();
    const out = join(sandbox.root, 'a', 'b', 'out');
    const r = await start({
      sandbox,
      command: ['sh', '-c', 'umask 0177 && exec "$@"', 'sh', ...command],
      args: ['gateway'],
      env: { ENVOY_CONFIG: envoy, PIPECD_BOOTSTRAP_DIR: out },
    });
    expect(failure(r)).toEqual({ code: 0, msg: undefined, hint: undefined, started: true });
    for (const dir of [join(sandbox.root, 'a'), join(sandbox.root, 'a', 'b'), out]) {
      expect({ dir, mode: (statSync(dir).mode & 0o777).toString(8), uid: statSync(dir).uid }).toEqual({ dir, mode: '700', uid: USER.uid });
    }
    expect(r.record!.files).toEqual([expect.objectContaining({ path: join(out, 'envoy-config.yaml'), mode: '600', uid: USER.uid })]);
  });

  it('an input file the user cannot read is exit 77, naming the file; root would have read it', async () => {
    const { sandbox, command } = userSandbox();
    const path = join(sandbox.root, 'envoy.yaml');
    writeFileSync(path, envoy);
    chmodSync(path, 0o600);
    const args = ['gateway', `--envoy-config-file=${path}`];
    const r = await start({ sandbox, command, args });
    expect(failure(r)).toEqual({
      code: 77,
      msg: `ENVOY_CONFIG (file ${path} from --envoy-config-file): permission denied`,
      hint: 'make the file readable by the container user',
      started: false,
    });
    const asRoot = await start({ args });
    expect(asRoot.code).toBe(0);
  });

  it('an output directory of another user is exit 77, naming both uids', async () => {
    const { sandbox, command } = userSandbox();
    mkdirSync(sandbox.out, { mode: 0o777 });
    chmodSync(sandbox.out, 0o777);
    chownSync(sandbox.out, 0, 0);
    const r = await start({ sandbox, command, args: ['gateway'], env: { ENVOY_CONFIG: envoy } });
    expect(failure(r)).toEqual({
      code: 77,
      msg: `output directory ${sandbox.out} belongs to uid 0, not to the running user ${USER.uid}`,
      hint: 'use a directory of the container user',
      started: false,
    });
  });

  it('an output directory the user cannot create is exit 77', async () => {
    const { sandbox, command } = userSandbox();
    const parent = join(sandbox.root, 'root-only');
    mkdirSync(parent, { mode: 0o755 });
    const out = join(parent, 'out');
    const r = await start({ sandbox, command, args: ['gateway'], env: { ENVOY_CONFIG: envoy, PIPECD_BOOTSTRAP_DIR: out } });
    expect(failure(r)).toEqual({
      code: 77,
      msg: `output directory ${out} cannot be created (EACCES)`,
      hint: WRITABLE_DIR_HINT,
      started: false,
    });
  });

  it('a program only root may run is exit 126 for the user, before anything is written', async () => {
    const { sandbox, command } = userSandbox();
    const program = join(sandbox.root, 'envoy-root-only');
    writeFileSync(program, '#!/bin/sh\nexit 0\n');
    chmodSync(program, 0o744);
    const r = await start({ sandbox, command, args: ['gateway', `--binary=${program}`], env: { ENVOY_CONFIG: envoy } });
    expect(failure(r)).toEqual({
      code: 126,
      msg: `PIPECD_BINARY ${program} is not an executable file`,
      hint: 'check the image: the file needs the execute bit',
      started: false,
    });
    expect(() => statSync(sandbox.out)).toThrow(/ENOENT/);
  });
});
