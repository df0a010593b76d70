import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorLine, fixture, makeSandbox, start, type StartResult } from './helpers/bundle.js';
import { USER } from './helpers/non-root.js';
import { newEncryptionKey } from './helpers/values.js';

/**
 * The writer's promises, each proven from outside: modes that do not depend on the umask, a
 * directory that is ours and not a link, data on disk (fsync) before it is published, and a set
 * of files replaced all together or not at all.
 */
const config = fixture('control-plane-ecs-demo.yaml');
const envoy = fixture('envoy-ecs-demo.yaml');
const WRITABLE_DIR_HINT = "PIPECD_BOOTSTRAP_DIR must be a writable directory of the container user, e.g. on the task's ephemeral storage";

const modes = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((name) => [name, (statSync(join(dir, name)).mode & 0o777).toString(8)]));
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
  });

  it('a file left 0644 by someone is replaced by a 0600 one', async () => {
    const sandbox = makeSandbox();
    mkdirSync(sandbox.out, { mode: 0o700 });
    writeFileSync(join(sandbox.out, 'envoy-config.yaml'), 'old');
    chmodSync(join(sandbox.out, 'envoy-config.yaml'), 0o644);
    const r = await start({ sandbox, wrap: ['sh', '-c', 'umask 0; exec "$0" "$@"'], args: ['gateway'], env: { ENVOY_CONFIG: envoy } });
    expect(r.code).toBe(0);
    expect(modes(sandbox.out)).toEqual({ 'envoy-config.yaml': '600' });
    expect(readFileSync(join(sandbox.out, 'envoy-config.yaml'), 'utf8')).toBe(envoy);
  });

  it('an output directory that is a symbolic link is exit 73, even to a good directory', async () => {
    const sandbox = makeSandbox();
    const real = join(sandbox.root, 'real');
    mkdirSync(real, { mode: 0o700 });
    symlinkSync(real, sandbox.out);
    const r = await start({ sandbox, args: ['gateway'], env: { ENVOY_CONFIG: envoy } });
    expect(failure(r)).toEqual({
      code: 73,
      msg: `output directory ${sandbox.out} is not a directory (or is a symbolic link)`,
      hint: undefined,
      started: false,
    });
    expect(readdirSync(real)).toEqual([]);
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

  it('a file that cannot be written is exit 73 and replaces none of the set: the last good start stays whole', async () => {
    const sandbox = makeSandbox();
    const goodKey = newEncryptionKey();
    const good = await start({ sandbox, args: ['server'], env: { CONTROL_PLANE_CONFIG: config, ENCRYPTION_KEY: goodKey } });
    expect(good.code).toBe(0);
    rmSync(sandbox.record);
    const before = {
      config: readFileSync(join(sandbox.out, 'control-plane-config.yaml')),
      key: readFileSync(join(sandbox.out, 'encryption-key')),
    };
    // The config (written first) fits under the file size limit; the new key does not (EFBIG, as on a full disk).
    const r = await start({
      sandbox,
      wrap: ['prlimit', '--fsize=16384', '--'],
      args: ['server'],
      env: { CONTROL_PLANE_CONFIG: config.replace('quickstart', 'changed'), ENCRYPTION_KEY: 'k'.repeat(20_000) },
    });
    expect(failure(r)).toEqual({
      code: 73,
      msg: `cannot write ${join(sandbox.out, 'encryption-key')} (EFBIG)`,
      hint: WRITABLE_DIR_HINT,
      started: false,
    });
    expect(readFileSync(join(sandbox.out, 'control-plane-config.yaml')).equals(before.config)).toBe(true);
    expect(readFileSync(join(sandbox.out, 'encryption-key')).equals(before.key)).toBe(true);
    expect(readdirSync(sandbox.out).sort()).toEqual(['control-plane-config.yaml', 'encryption-key']);
  });

  it('each file is written to a new temp file, fsync-ed, then renamed into place, and the directory fsync-ed after', async () => {
    const sandbox = makeSandbox();
    const trace = join(sandbox.root, 'trace');
    const r = await start({
      sandbox,
      wrap: ['strace', '-f', '-qq', '-e', 'trace=openat,fsync,rename,renameat,renameat2', '-o', trace, '--'],
      args: ['server'],
      env: { CONTROL_PLANE_CONFIG: config, ENCRYPTION_KEY: newEncryptionKey() },
    });
    expect(r.code).toBe(0);
    // The bootstrapper's main thread (the first line's PID; the program reads the files too), without the PID;
    // only the calls on the output directory and the fsyncs between them.
    const lines = readFileSync(trace, 'utf8').split('\n');
    const main = lines[0]!.split(/\s/)[0]!;
    const calls = lines
      .filter((l) => l.startsWith(`${main} `))
      .map((l) => l.slice(main.length).trimStart())
      .filter((l) => l.includes(sandbox.out) || l.startsWith('fsync('))
      .filter((l) => !l.includes('ENOENT'));
    const steps: string[] = [];
    const names = new Map<string, string>();
    for (const line of calls) {
      const open = line.match(/^openat\(AT_FDCWD, "([^"]+)", ([A-Z_|]+)(?:, (\d+))?\) = (\d+)$/);
      if (open) {
        const [, path, flags, mode, fd] = open;
        const name =
          path === sandbox.out ? 'DIR' : path!.slice(sandbox.out.length + 1).replace(/\.\d+\.[a-z0-9]+\.tmp$/, '.PID.RANDOM.tmp');
        names.set(fd!, name);
        steps.push(`open ${name} ${flags!.includes('O_EXCL') ? 'new' : 'existing'}${mode ? ` ${mode}` : ''}`);
        continue;
      }
      const sync = line.match(/^fsync\((\d+)\)\s+= 0$/);
      if (sync && names.has(sync[1]!)) {
        steps.push(`fsync ${names.get(sync[1]!)}`);
        continue;
      }
      const rename = line.match(/^rename\("([^"]+)", "([^"]+)"\)\s+= 0$/);
      if (rename)
        steps.push(
          `rename ${rename[1]!.slice(sandbox.out.length + 1).replace(/\.\d+\.[a-z0-9]+\.tmp$/, '.PID.RANDOM.tmp')} -> ${rename[2]!.slice(sandbox.out.length + 1)}`,
        );
    }
    expect(steps).toEqual([
      'open .control-plane-config.yaml.PID.RANDOM.tmp new 0600',
      'fsync .control-plane-config.yaml.PID.RANDOM.tmp',
      'open .encryption-key.PID.RANDOM.tmp new 0600',
      'fsync .encryption-key.PID.RANDOM.tmp',
      'rename .control-plane-config.yaml.PID.RANDOM.tmp -> control-plane-config.yaml',
      'rename .encryption-key.PID.RANDOM.tmp -> encryption-key',
      'open DIR existing',
      'fsync DIR',
    ]);
  });
});
