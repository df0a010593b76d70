// No registry can be reached here, so the images PipeCD, envoy and Node publish are stood in for by
// small local images under the same names: busybox, the host's glibc, stand-in programs at the paths
// the real images use, Debian's static tini at /sbin/tini, the npm build of Node 22 at
// /usr/local/bin/node, and the host's GNU strip in the image the Dockerfiles strip Node with. The
// real bases are alpine (musl); the stand-ins are glibc, since no musl Node can be had from the
// reachable registries, so the Dockerfiles' musl-to-musl copy of Node is the one thing the tests
// cannot exercise. Used by the image tests and the benchmark.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { NODE22, ROOT, STAND_IN } from './paths.mjs';

/** Flags podman needs in this sandbox (see ../shared/README.md). */
export const PODMAN_RUN_FLAGS = ['--runtime', 'runc', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1000:1000'];

/** @returns {import('node:child_process').SpawnSyncReturns<string>} */
export function podman(args, input) {
  const r = spawnSync('podman', args, { encoding: 'utf8', input, maxBuffer: 1 << 26, timeout: 300_000 });
  if (r.status !== 0) throw new Error(`podman ${args.slice(0, 3).join(' ')} failed (${r.status}): ${r.stderr}`);
  return r;
}

export const BASES = {
  pipecd: 'ghcr.io/pipe-cd/pipecd:v0.57.0',
  controlplane: 'ghcr.io/pipe-cd/controlplane:v0.58.0',
  piped: 'ghcr.io/pipe-cd/piped:v0.57.0',
  launcher: 'ghcr.io/pipe-cd/launcher:v0.57.0',
  envoy: 'envoyproxy/envoy:v1.31.0',
  nodeAlpine: 'docker.io/library/node:22-alpine',
  nodeDebian: 'docker.io/library/node:22-bookworm-slim',
  /** Node's full Debian image has binutils; the Dockerfiles strip Node's symbols with its strip. */
  binutils: 'docker.io/library/node:22-bookworm',
};

const BUSYBOX_APPLETS = ['sh', 'cat', 'ls', 'id', 'sleep', 'ps', 'mkdir', 'chmod'];
const GLIBC = [
  '/lib64/ld-linux-x86-64.so.2',
  '/lib/x86_64-linux-gnu/libc.so.6',
  '/lib/x86_64-linux-gnu/libm.so.6',
  '/lib/x86_64-linux-gnu/libdl.so.2',
  '/lib/x86_64-linux-gnu/libpthread.so.0',
];

function copyInto(root, from, to = from, mode) {
  const target = join(root, to);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(realpathSync(from), target);
  if (mode !== undefined) chmodSync(target, mode);
}

/** The shared libraries a host program needs, as ldd lists them. */
function librariesOf(program) {
  const r = spawnSync('ldd', [program], { encoding: 'utf8' });
  return [...r.stdout.matchAll(/(\/\S+\.so[.\d]*)/g)].map((m) => m[1]);
}

const LABEL = 'pipecd-bootstrap.stand-in';

/** What an import would put in the image: its files' contents and its changes. */
function digestOf(image) {
  const hash = createHash('sha256').update(JSON.stringify([image.name, image.changes, image.bare ?? false, BUSYBOX_APPLETS, GLIBC]));
  for (const [from, to, mode] of image.files) hash.update(`${to}:${mode ?? ''}:`).update(readFileSync(realpathSync(from)));
  return hash.digest('hex');
}

function importedDigest(name) {
  const r = spawnSync('podman', ['image', 'inspect', '--format', `{{index .Config.Labels "${LABEL}"}}`, name], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * Test files (and the benchmark) that use the stand-ins may run at once: one imports at a time, and
 * an image already imported with the same contents is kept, so that no import retags a base another
 * run is building on or measuring.
 */
function withImportLock(body) {
  const lock = join(tmpdir(), 'pipecd-bootstrap-stand-in.lock');
  const until = Date.now() + 600_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than the longest import is left from a killed run.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 600_000) rmdirSync(lock);
      if (Date.now() > until) throw new Error(`${lock} was held for 10 minutes`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    body();
  } finally {
    rmdirSync(lock);
  }
}

/** @param {{ name: string, files: [string, string, number?][], changes: string[], bare?: boolean }} image */
function importImage(image) {
  const digest = digestOf(image);
  if (importedDigest(image.name) === digest) return;
  const root = mkdtempSync(join(tmpdir(), 'stand-in-rootfs-'));
  try {
    if (!image.bare) {
      copyInto(root, '/bin/busybox', '/bin/busybox', 0o755);
      for (const applet of BUSYBOX_APPLETS) symlinkSync('/bin/busybox', join(root, 'bin', applet));
      mkdirSync(join(root, 'usr/bin'), { recursive: true });
      symlinkSync('/bin/busybox', join(root, 'usr/bin/env'));
      for (const lib of GLIBC) copyInto(root, lib);
      mkdirSync(join(root, 'etc'));
      writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\npiped:x:1000:1000:piped:/home/piped:/bin/sh\n');
      writeFileSync(join(root, 'etc/group'), 'root:x:0:\npiped:x:1000:\n');
      mkdirSync(join(root, 'tmp'));
      chmodSync(join(root, 'tmp'), 0o1777);
      mkdirSync(join(root, 'proc'));
    }
    for (const [from, to, mode] of image.files) copyInto(root, from, to, mode);
    const tar = spawnSync('tar', ['-C', root, '-c', '.'], { maxBuffer: 1 << 30 });
    if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
    const changes = [...image.changes, `LABEL ${LABEL}=${digest}`];
    podman(['import', ...changes.flatMap((c) => ['--change', c]), '-', image.name], tar.stdout);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const program = (name) => [STAND_IN, `/usr/local/bin/${name}`, 0o755];
const TINI = ['/usr/bin/tini-static', '/sbin/tini', 0o755];
const ENV = 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Imports every stand-in base under its real name, unless an import of the same contents is there. */
export function importStandInBases() {
  const node = [
    [NODE22, '/usr/local/bin/node', 0o755],
    ['/lib/x86_64-linux-gnu/libstdc++.so.6', '/usr/lib/libstdc++.so.6'],
    ['/lib/x86_64-linux-gnu/libgcc_s.so.1', '/usr/lib/libgcc_s.so.1'],
  ];
  const strip = ['/usr/bin/strip', ...librariesOf('/usr/bin/strip').filter((f) => !GLIBC.includes(f))].map((f) => [f, f]);
  const images = [
    // The control-plane images run as root, with no init, as the real ones do.
    { name: BASES.pipecd, files: [program('pipecd')], changes: [ENV, 'ENTRYPOINT ["/usr/local/bin/pipecd"]'] },
    { name: BASES.controlplane, files: [program('controlplane')], changes: [ENV, 'ENTRYPOINT ["/usr/local/bin/controlplane"]'] },
    { name: BASES.piped, files: [program('piped'), TINI], changes: [ENV, 'USER piped', 'ENTRYPOINT ["/sbin/tini", "--", "piped"]'] },
    {
      name: BASES.launcher,
      files: [program('launcher'), TINI],
      changes: [ENV, 'USER piped', 'ENTRYPOINT ["/sbin/tini", "--", "launcher"]'],
    },
    // envoy's image is Ubuntu, which has libstdc++ (apt needs it).
    {
      name: BASES.envoy,
      files: [
        program('envoy'),
        ['/lib/x86_64-linux-gnu/libstdc++.so.6', '/usr/lib/x86_64-linux-gnu/libstdc++.so.6'],
        ['/lib/x86_64-linux-gnu/libgcc_s.so.1', '/usr/lib/x86_64-linux-gnu/libgcc_s.so.1'],
      ],
      changes: [ENV, 'ENTRYPOINT ["/usr/local/bin/envoy"]'],
    },
    // The Node images run Node themselves too (Dockerfile.init is one), so they get busybox and glibc like the bases.
    { name: BASES.nodeAlpine, files: node, changes: [ENV] },
    { name: BASES.nodeDebian, files: node, changes: [ENV] },
    { name: BASES.binutils, files: [...GLIBC.map((f) => [f, f]), ...node, ...strip], changes: [ENV], bare: true },
  ];
  withImportLock(() => images.forEach(importImage));
}

/** Builds one of the project's Dockerfiles from the repository root, offline, on the stand-in bases. */
export function buildImage(dockerfile, buildArgs, tag) {
  podman([
    'build',
    '--pull=never',
    '--network=none',
    ...PODMAN_RUN_FLAGS,
    ...buildArgs.flatMap((a) => ['--build-arg', a]),
    '-f',
    join(ROOT, dockerfile),
    '-t',
    tag,
    ROOT,
  ]);
}

export function imageSize(name) {
  return Number(podman(['image', 'inspect', '--format', '{{.Size}}', name]).stdout.trim());
}
