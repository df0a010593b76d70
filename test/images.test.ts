import { chmodSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordObservation } from '../scripts/lib/observations.mjs';
import { fixture, type StandInRecord } from './helpers/bundle.js';
import { createSecret, endpoint } from './helpers/secrets.js';
import { BASES, buildImage, imageSize, importStandInBases, podman, PODMAN_RUN_FLAGS } from './helpers/stand-in-images.js';
import { b64, newEncryptionKey, newPipedKey } from './helpers/values.js';

interface Built {
  tag: string;
  base: string;
}

/** The derived images, each built from its Dockerfile against the stand-in bases, with no network. */
const IMAGES: Record<string, { dockerfile: string; args: string[]; base: string }> = {
  server: { dockerfile: 'Dockerfile.server', args: [], base: BASES.pipecd },
  'server-controlplane': {
    dockerfile: 'Dockerfile.server',
    args: ['BASE_IMAGE=ghcr.io/pipe-cd/controlplane', 'BASE_TAG=v0.58.0'],
    base: BASES.controlplane,
  },
  ops: { dockerfile: 'Dockerfile.ops', args: ['SERVER_IMAGE=localhost/pipecd-bootstrap-test/server'], base: BASES.pipecd },
  gateway: { dockerfile: 'Dockerfile.gateway', args: [], base: BASES.envoy },
  piped: { dockerfile: 'Dockerfile.piped', args: [], base: BASES.piped },
  launcher: { dockerfile: 'Dockerfile.piped', args: ['BASE_IMAGE=ghcr.io/pipe-cd/launcher', 'ROLE=launcher'], base: BASES.launcher },
};

const built: Record<string, Built> = {};

function build(name: string): Built {
  const spec = IMAGES[name]!;
  const tag = `localhost/pipecd-bootstrap-test/${name}`;
  buildImage(spec.dockerfile, spec.args, tag);
  return { tag, base: spec.base };
}

interface ContainerRun {
  code: number;
  record: StandInRecord & { init?: string[] };
  logs: Record<string, unknown>[];
  signals: string;
}

/**
 * Runs an image with its own ENTRYPOINT and CMD (plus `command`), waits until the stand-in program
 * is up, stops the container with `podman stop` (SIGTERM to PID 1), and returns what was seen.
 * Host networking lets the container reach moto_server on 127.0.0.1; nothing else is listening.
 */
function runImage(image: string, env: Record<string, string>, command: string[] = [], runFlags: string[] = []): ContainerRun {
  const dir = mkdtempSync(join(tmpdir(), 'image-run-'));
  chmodSync(dir, 0o777);
  const envArgs = Object.entries({
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint(),
    STAND_IN_RECORD: '/record/record.json',
    STAND_IN_READY: '/record/ready',
    STAND_IN_BEHAVIOUR: 'wait',
    STAND_IN_TERM_EXIT: '42',
    ...env,
  }).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const id = podman([
    'run',
    '-d',
    ...PODMAN_RUN_FLAGS,
    '--network=host',
    '-v',
    `${dir}:/record`,
    ...envArgs,
    ...runFlags,
    image,
    ...command,
  ]).stdout.trim();
  try {
    const until = Date.now() + 60_000;
    while (!existsSync(join(dir, 'ready')) && Date.now() < until) {
      const state = podman(['inspect', '--format', '{{.State.Running}}', id]).stdout.trim();
      if (state !== 'true') break;
      spawnSleep(50);
    }
    podman(['stop', '--time', '20', id]);
    const code = Number(podman(['inspect', '--format', '{{.State.ExitCode}}', id]).stdout.trim());
    const logs = podman(['logs', id])
      .stderr.split('\n')
      .concat(podman(['logs', id]).stdout.split('\n'))
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    if (!existsSync(join(dir, 'record.json'))) throw new Error(`the program never ran; logs: ${JSON.stringify(logs)}`);
    const record = JSON.parse(readFileSync(join(dir, 'record.json'), 'utf8'));
    const signalsFile = join(dir, 'record.json.signals');
    return { code, record, logs, signals: existsSync(signalsFile) ? readFileSync(signalsFile, 'utf8') : '' };
  } finally {
    spawnRm(id);
  }
}

function spawnSleep(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function spawnRm(id: string) {
  try {
    podman(['rm', '-f', id]);
  } catch {
    // already gone
  }
}

describe('derived images, built and run for real (podman, stand-in bases)', () => {
  beforeAll(() => {
    importStandInBases();
    for (const name of Object.keys(IMAGES)) built[name] = build(name);
  }, 600_000);

  it('server: tini is PID 1, the bootstrapper replaced itself with pipecd, files 0600 of uid 65532, SIGTERM from podman stop reaches pipecd, exit code back', async () => {
    const config = await createSecret('image-cp', b64(fixture('control-plane-ecs-demo.yaml')));
    const key = await createSecret('image-key', newEncryptionKey());
    const r = runImage(built.server!.tag, {
      CONTROL_PLANE_CONFIG_SECRET: config.arn,
      ENCRYPTION_KEY_SECRET: key.arn,
      DATASTORE_HOST: 'db.internal',
    });
    expect(r.record.program).toBe('/usr/local/bin/pipecd');
    expect(r.record.args.slice(0, 3)).toEqual([
      'server',
      '--config-file=/tmp/pipecd-bootstrap/control-plane-config.yaml',
      '--encryption-key-file=/tmp/pipecd-bootstrap/encryption-key',
    ]);
    expect(r.record.ppid).toBe(1);
    expect(r.record.init).toEqual(['/sbin/tini', '--', 'pipecd-bootstrap', 'server']);
    expect(r.logs.find((l) => l.msg === 'starting program')!.mode).toBe('execve');
    for (const f of r.record.files) expect([f.mode, f.uid]).toEqual(['600', 65532]);
    expect(r.signals).toBe('SIGTERM\n');
    expect(r.code).toBe(42);
  });

  it('server on the controlplane base (PipeCD after v0.57.0) runs /usr/local/bin/controlplane', async () => {
    const r = runImage(built['server-controlplane']!.tag, {
      CONTROL_PLANE_CONFIG: fixture('control-plane-firestore-gcs.yaml'),
      ENCRYPTION_KEY: newEncryptionKey(),
    });
    expect(r.record.program).toBe('/usr/local/bin/controlplane');
    expect(r.code).toBe(42);
  });

  it('ops: pipecd ops without --encryption-key-file', async () => {
    const r = runImage(built.ops!.tag, { CONTROL_PLANE_CONFIG: fixture('control-plane-ecs-demo.yaml') });
    expect(r.record.args).toEqual(['ops', '--config-file=/tmp/pipecd-bootstrap/control-plane-config.yaml']);
    expect(r.record.ppid).toBe(1);
    expect(r.code).toBe(42);
  });

  it('gateway: envoy -c, the program is PID 1 itself after execve, SIGTERM reaches it', async () => {
    const r = runImage(built.gateway!.tag, { ENVOY_CONFIG: fixture('envoy-ecs-demo.yaml') });
    expect(r.record.program).toBe('/usr/local/bin/envoy');
    expect(r.record.pid).toBe(1);
    expect(r.record.files[0]).toMatchObject({ mode: '600', uid: 65532 });
    expect(r.signals).toBe('SIGTERM\n');
    expect(r.code).toBe(42);
  });

  it("piped: runs as uid 1000 under the base image's tini, with an App Runner style command of one reference", async () => {
    const secret = await createSecret('image-piped', JSON.stringify({ config: b64(fixture('piped-full.yaml')), key: newPipedKey() }));
    const r = runImage(built.piped!.tag, {}, [
      'piped',
      `--piped-config-secret=${secret.arn}:config`,
      `--piped-key-secret=${secret.arn}:key`,
    ]);
    expect(r.record.program).toBe('/usr/local/bin/piped');
    expect(r.record.args).toEqual(['piped', '--config-file=/tmp/pipecd-bootstrap/piped-config.yaml']);
    expect(r.record.init).toEqual([
      '/sbin/tini',
      '--',
      'pipecd-bootstrap',
      'piped',
      `--piped-config-secret=${secret.arn}:config`,
      `--piped-key-secret=${secret.arn}:key`,
    ]);
    expect(r.record.ppid).toBe(1);
    for (const f of r.record.files) expect([f.mode, f.uid]).toEqual(['600', 1000]);
    expect(r.code).toBe(42);
  });

  it('piped image with its default command: the role comes from PIPECD_BOOTSTRAP_ROLE; the launcher variant runs launcher', async () => {
    const piped = runImage(built.piped!.tag, { PIPED_CONFIG: fixture('piped-full.yaml') });
    expect(piped.record.args[0]).toBe('piped');
    const launcher = runImage(built.launcher!.tag, { PIPED_CONFIG: fixture('piped-full.yaml') });
    expect(launcher.record.program).toBe('/usr/local/bin/launcher');
    expect(launcher.record.args[0]).toBe('launcher');
    expect(launcher.code).toBe(42);
  });

  it("piped with its ENTRYPOINT replaced (an ECS entryPoint override): the bootstrapper is PID 1 and starts piped under the image's tini -s", () => {
    const r = runImage(
      built.piped!.tag,
      { PIPED_CONFIG: fixture('piped-full.yaml') },
      ['piped'],
      ['--entrypoint', '/usr/local/bin/pipecd-bootstrap'],
    );
    expect(r.record.init).toEqual([
      '/sbin/tini',
      '-s',
      '--',
      '/usr/local/bin/piped',
      'piped',
      '--config-file=/tmp/pipecd-bootstrap/piped-config.yaml',
    ]);
    expect(r.record.ppid).toBe(1);
    expect(r.logs.find((l) => String(l.msg).startsWith('PID 1 with no init'))).toMatchObject({ tini: '/sbin/tini' });
    expect(r.signals).toBe('SIGTERM\n');
    expect(r.code).toBe(42);
  });

  it('what each image adds over its base is measured (docs/images.md, by npm run docs)', () => {
    const sizes = Object.fromEntries(
      Object.entries(built).map(([name, b]) => [name, { image: imageSize(b.tag), base: imageSize(b.base) }]),
    );
    for (const [name, size] of Object.entries(sizes)) {
      recordObservation('images', {
        name,
        dockerfile: IMAGES[name]!.dockerfile,
        base: IMAGES[name]!.base,
        baseBytes: size.base,
        imageBytes: size.image,
      });
      if (name === 'ops') expect(size.image - sizes.server!.image, name).toBeLessThan(100_000);
      else expect(size.image - size.base, name).toBeGreaterThan(50_000_000);
    }
  });
});
