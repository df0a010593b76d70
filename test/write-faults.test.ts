import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE, errorLine, fixture, makeSandbox, NODE20, start } from './helpers/bundle.js';
import { observe } from './helpers/reliability.js';
import { newEncryptionKey } from './helpers/values.js';

const envoy = fixture('envoy-ecs-demo.yaml');
const config = fixture('control-plane-ecs-demo.yaml');
const padded = (bytes: number) => `${envoy}\n${'#'.repeat(79)}\n`.padEnd(bytes, `${'#'.repeat(79)}\n`);

/** Root can mount a tmpfs of its own in a private mount namespace (unshare --mount); these tests need it. */
const asRoot = process.getuid?.() === 0;

/** Runs `script` in a new mount namespace, with `$@` the bootstrapper's command; results go to files under $R. */
function inMountNamespace(script: string, env: Record<string, string>) {
  const sandbox = makeSandbox();
  const results = join(sandbox.root, 'results');
  const mnt = join(sandbox.root, 'mnt');
  mkdirSync(results);
  mkdirSync(mnt);
  const run = start({
    sandbox,
    wrap: ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', script],
    // sh -c SCRIPT NAME ARGS: $0 is NAME, "$@" the bootstrapper's command.
    command: ['sh', NODE20, BUNDLE],
    env: { R: results, MNT: mnt, ...env },
  });
  const read = (name: string) => readFileSync(join(results, name), 'utf8');
  return { run, read, sandbox, results };
}

describe.skipIf(!asRoot)('a full disk (a 256 KiB tmpfs)', () => {
  it('ENOSPC is exit 73, removes the partial set, keeps the last good set, and the next start on the volume works', async () => {
    const sandbox = makeSandbox();
    const small = join(sandbox.root, 'small.yaml');
    const big = join(sandbox.root, 'big.yaml');
    writeFileSync(small, envoy);
    writeFileSync(big, padded(600_000));
    const script = `
      mount -t tmpfs -o size=256k tmpfs "$MNT" || exit 90
      export PIPECD_BOOTSTRAP_DIR="$MNT/out"
      step() { STAND_IN_RECORD="$R/$1.record" ENVOY_CONFIG_FILE="$2" "$NODE" "$BUNDLE" "$3" 2>"$R/$1.err"; echo $? >"$R/$1.code"; ls -a "$MNT/out" >"$R/$1.ls"; }
      step 1 "$SMALL" gateway
      step 2 "$BIG" gateway
      cat "$MNT/out/envoy-config.yaml" >"$R/2.current"
      step 3 "$SMALL" gateway
    `;
    const ns = inMountNamespace(script, {
      SMALL: small,
      BIG: big,
      NODE: NODE20,
      BUNDLE,
    });
    const r = await ns.run;
    expect(r.code).toBe(0);
    const codes = [1, 2, 3].map((n) => Number(ns.read(`${n}.code`)));
    const afterFull = ns.read('2.ls').split('\n').filter(Boolean).sort();
    const error = JSON.parse(ns.read('2.err').trim().split('\n').at(-1)!);
    observe(
      'files',
      'disk full (ENOSPC) while writing the set',
      'exit 73, partial set removed, last good set kept, next start works',
      `exits ${codes.join(', ')}; after the failure the directory holds ${afterFull.filter((n) => n.startsWith('..') && n.length > 2).length - 1} set(s) besides ..data; current file ${ns.read('2.current') === envoy ? 'the last good one' : 'CHANGED'}`,
    );
    expect(codes).toEqual([0, 73, 0]);
    expect(error).toMatchObject({ level: 'error', exitCode: 73 });
    expect(error.msg).toMatch(/ENOSPC: no space left/);
    expect(afterFull.filter((n) => n.startsWith('..2'))).toHaveLength(1);
    expect(afterFull).toEqual(ns.read('1.ls').split('\n').filter(Boolean).sort());
    expect(ns.read('2.current')).toBe(envoy);
    expect(existsSync(join(ns.results, '2.record'))).toBe(false);
  });
});

describe('leftovers of a start that died', () => {
  it('sets never published, temp links and temp files of older writers are removed by the next start', async () => {
    const sandbox = makeSandbox();
    const first = await start({ sandbox, args: ['server'], env: { CONTROL_PLANE_CONFIG: config, ENCRYPTION_KEY: newEncryptionKey() } });
    expect(first.code).toBe(0);
    // What a start killed by SIGKILL during fsync leaves, named as the writer names them.
    const published = readlinkSync(join(sandbox.out, '..data'));
    const dead = `${published.slice(0, published.lastIndexOf('.') + 1)}Zz9Yy8`;
    mkdirSync(join(sandbox.out, dead), { mode: 0o700 });
    writeFileSync(join(sandbox.out, dead, 'encryption-key'), 'half a secr');
    symlinkSync(dead, join(sandbox.out, '..tmp_..data'));
    writeFileSync(join(sandbox.out, '.encryption-key.4242.k3j5h2.tmp'), 'half a secret of the writer before');
    const key = newEncryptionKey();
    const r = await start({ sandbox, args: ['server'], env: { CONTROL_PLANE_CONFIG: config, ENCRYPTION_KEY: key } });
    const left = readdirSync(sandbox.out).sort();
    observe(
      'files',
      'leftovers of a start killed during fsync',
      'removed by the next start, which works',
      `exit ${r.code}; left: ${left.filter((n) => n.includes('tmp') || n.endsWith('Zz9Yy8')).join(', ') || 'none'}`,
    );
    expect(r.code).toBe(0);
    expect(left.filter((n) => n.startsWith('..2'))).toEqual([readlinkSync(join(sandbox.out, '..data'))]);
    expect(left).toEqual(['..data', readlinkSync(join(sandbox.out, '..data')), 'control-plane-config.yaml', 'encryption-key'].sort());
    expect(readFileSync(join(sandbox.out, 'encryption-key'), 'utf8')).toBe(key);
  });

  it('a reader that follows ..data sees one whole set while starts replace it', async () => {
    const sandbox = makeSandbox();
    const keys = ['a', 'b'].map((c) => c.repeat(48));
    const seen = { sets: 0, mixed: 0, gone: 0 };
    let writing = true;
    const reader = (async () => {
      while (writing) {
        try {
          const set = join(sandbox.out, readlinkSync(join(sandbox.out, '..data')));
          const key = readFileSync(join(set, 'encryption-key'), 'utf8');
          const host = /tcp\(([^:]+):/.exec(readFileSync(join(set, 'control-plane-config.yaml'), 'utf8'))![1];
          seen.sets++;
          if (host !== `db-${key[0]}`) seen.mixed++;
        } catch {
          seen.gone++;
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    for (let i = 0; i < 8; i++) {
      const key = keys[i % 2]!;
      const r = await start({
        sandbox,
        args: ['server'],
        env: { CONTROL_PLANE_CONFIG: config, ENCRYPTION_KEY: key, DATASTORE_HOST: `db-${key[0]}` },
      });
      expect(r.code).toBe(0);
    }
    writing = false;
    await reader;
    observe(
      'files',
      'a reader during 8 starts replacing the set',
      'every set read whole: key and config of the same start',
      `${seen.sets} sets read, ${seen.mixed} mixed, ${seen.gone} reads of a set already removed`,
    );
    expect(seen.sets).toBeGreaterThan(0);
    expect(seen.mixed).toBe(0);
  });
});

describe("output directories that are not the bootstrapper's to use", () => {
  it.skipIf(!asRoot)('a read-only file system (ECS readonlyRootFilesystem) is exit 73 with a hint naming a writable volume', async () => {
    const ns = inMountNamespace(
      `mount -t tmpfs -o ro tmpfs "$MNT" || exit 90; PIPECD_BOOTSTRAP_DIR="$MNT/pipecd-bootstrap" exec "$@" gateway`,
      { ENVOY_CONFIG: envoy },
    );
    const r = await ns.run;
    observe('files', 'read-only file system', 'exit 73, hint: a writable volume', `exit ${r.code}; hint: ${errorLine(r)?.hint}`);
    expect(r.code).toBe(73);
    expect(errorLine(r)!.msg).toMatch(/EROFS/);
    expect(errorLine(r)!.hint).toMatch(/writable volume.*PIPECD_BOOTSTRAP_DIR/);
    expect(r.record).toBeUndefined();
  });

  it('a shared directory (1777, like /tmp) is refused, not chmod-ed', async () => {
    const sandbox = makeSandbox();
    const shared = join(sandbox.root, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    const r = await start({ sandbox, args: ['gateway'], env: { ENVOY_CONFIG: envoy, PIPECD_BOOTSTRAP_DIR: shared } });
    const mode = (statSync(shared).mode & 0o7777).toString(8);
    observe(
      'files',
      'output dir is a shared 1777 directory',
      'exit 73, directory left 1777, nothing written',
      `exit ${r.code}; mode ${mode}; ${readdirSync(shared).length} entries`,
    );
    expect(r.code).toBe(73);
    expect(mode).toBe('1777');
    expect(readdirSync(shared)).toEqual([]);
    expect(errorLine(r)!.hint).toMatch(/directory of its own/);
  });

  it('a symbolic link given with a trailing slash is refused like one without', async () => {
    const sandbox = makeSandbox();
    const target = join(sandbox.root, 'elsewhere');
    mkdirSync(target, { mode: 0o755 });
    symlinkSync(target, sandbox.out);
    const r = await start({ sandbox, args: ['gateway'], env: { ENVOY_CONFIG: envoy, PIPECD_BOOTSTRAP_DIR: `${sandbox.out}/` } });
    observe(
      'files',
      'output dir is a symlink given as DIR/',
      'exit 73, the target untouched',
      `exit ${r.code}; target holds ${readdirSync(target).length} entries`,
    );
    expect(r.code).toBe(73);
    expect(errorLine(r)!.msg).toMatch(/symbolic link/);
    expect(readdirSync(target)).toEqual([]);
    expect(statSync(target).mode & 0o777).toBe(0o755);
  });
});
