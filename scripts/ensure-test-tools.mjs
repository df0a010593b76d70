// Runs before `npm test`: makes sure the machine has what the tests run for real, and installs what
// is missing from Debian's packages when it can (as root, as on these machines and in CI).
//   moto_server      a real Secrets Manager API (shipped with the machine image; Debian has no package)
//   unshare          PID 1 tests (util-linux)
//   podman, runc     image builds and runs (podman, buildah, runc, uidmap)
//   busybox, tini    the stand-in base images (busybox-static, tini)
//   openssl          a self-signed certificate for the HTTPS endpoint tests
//   go, sigs.k8s.io/yaml, gopkg.in/yaml.v2   the Go oracle that decodes configs as PipeCD does (test/oracle)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const NEEDS = [
  { what: 'unshare', ok: () => has('unshare'), packages: ['util-linux'] },
  { what: 'podman', ok: () => has('podman') && has('runc'), packages: ['podman', 'buildah', 'runc', 'uidmap'] },
  { what: 'busybox (static)', ok: () => existsSync('/bin/busybox'), packages: ['busybox-static'] },
  { what: 'tini (static)', ok: () => existsSync('/usr/bin/tini-static'), packages: ['tini'] },
  { what: 'openssl', ok: () => has('openssl'), packages: ['openssl'] },
  {
    what: "Go and PipeCD's YAML libraries",
    ok: () => has('go') && existsSync('/usr/share/gocode/src/sigs.k8s.io/yaml') && existsSync('/usr/share/gocode/src/gopkg.in/yaml.v2'),
    packages: ['golang-go', 'golang-k8s-sigs-yaml-dev', 'golang-gopkg-yaml.v2-dev'],
  },
];

const missing = NEEDS.filter((n) => !n.ok());
if (missing.length > 0) {
  const packages = missing.flatMap((n) => n.packages);
  if (process.getuid?.() !== 0) {
    console.error(`missing: ${missing.map((n) => n.what).join(', ')}; install with: sudo apt-get install -y ${packages.join(' ')}`);
    process.exit(1);
  }
  console.error(`installing ${packages.join(' ')} for the tests`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', ...packages],
  ]) {
    // Another apt may hold the dpkg lock (an unattended upgrade, a parallel job): wait for it rather than fail.
    const r = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

if (!has('moto_server') && spawnSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore' }).status !== 0) {
  console.error('moto_server is missing: the tests need a local Secrets Manager. Install it with: pip install "moto[server]"');
  process.exit(1);
}
if (!existsSync(new URL('../../shared/fixtures/valid', import.meta.url))) {
  console.error('../shared/fixtures/valid is missing: the tests check every PipeCD fixture there');
  process.exit(1);
}
