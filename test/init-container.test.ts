import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, NODE22, type StandInRecord } from './helpers/bundle.js';
import { createSecret, endpoint } from './helpers/secrets.js';
import { BASES, buildImage, importStandInBases, podman, PODMAN_RUN_FLAGS } from './helpers/stand-in-images.js';
import { b64, newEncryptionKey, newPipedKey } from './helpers/values.js';

/**
 * Rule: with PipeCD's official images unchanged, an init container from Dockerfile.init runs
 * `pipecd-bootstrap write ROLE`: it writes the files into a volume the task shares, gives them to the
 * program's user, prints the program container's `command`, and exits 0; the program's container
 * (ECS dependsOn SUCCESS) mounts the volume read-only and starts with exactly that command.
 *
 * Both containers run for real with podman (runc, no registry: the bases are the stand-ins tagged
 * with the real names). The shared volume is a host directory of root's with mode 0755, as a Fargate
 * bind mount starts (a podman named volume would not do: podman gives an empty one to the container's user).
 */
const INIT = 'localhost/pipecd-bootstrap-test/init';
const MOUNT = '/pipecd-bootstrap';
const volumes: string[] = [];

function newVolume(): string {
  const dir = mkdtempSync(join(tmpdir(), 'init-volume-'));
  chmodSync(dir, 0o755);
  volumes.push(dir);
  return dir;
}

/**
 * The stand-in programs are Node scripts and PipeCD's images have no Node: it is lent to the
 * program's container read-only, at the path the stand-in's `#!/usr/bin/env node` finds, leaving
 * the image itself unchanged.
 */
const NODE_FOR_STAND_IN = [
  [NODE22, '/usr/local/bin/node'],
  ['/lib/x86_64-linux-gnu/libstdc++.so.6', '/usr/lib/libstdc++.so.6'],
  ['/lib/x86_64-linux-gnu/libgcc_s.so.1', '/usr/lib/libgcc_s.so.1'],
].flatMap(([from, to]) => ['-v', `${realpathSync(from!)}:${to}:ro`]);

interface InitRun {
  code: number | null;
  stdout: string;
  stderr: string;
  printed: { role: string; command: string[]; files: { path: string; mode: string; uid: number; gid: number }[] } | undefined;
}

/** The init container: as ECS runs it with "user": "0"; `user` null keeps the image's own USER. */
function runInit(volume: string, role: string, env: Record<string, string>, user: string | null = '0', extra: string[] = []): InitRun {
  const envArgs = Object.entries({
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint(),
    ...env,
  }).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  // Host networking reaches moto_server on 127.0.0.1; nothing else listens.
  const r = spawnSync(
    'podman',
    [
      'run',
      '--rm',
      ...PODMAN_RUN_FLAGS,
      '--network=host',
      ...(user ? ['--user', user] : []),
      '-v',
      `${volume}:${MOUNT}`,
      ...envArgs,
      INIT,
      role,
      ...extra,
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, printed: line ? JSON.parse(line) : undefined };
}

/** The program's container: the official image (stand-in) with the printed command, the volume read-only. */
function runProgram(image: string, volume: string, command: string[], user?: string): StandInRecord & { init?: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'init-program-'));
  chmodSync(dir, 0o777);
  podman([
    'run',
    '--rm',
    ...PODMAN_RUN_FLAGS,
    '--network=none',
    ...(user ? ['--user', user] : []),
    '-v',
    `${volume}:${MOUNT}:ro`,
    ...NODE_FOR_STAND_IN,
    '-v',
    `${dir}:/record`,
    '-e',
    'STAND_IN_RECORD=/record/record.json',
    '-e',
    'STAND_IN_BEHAVIOUR=exit:0',
    image,
    ...command,
  ]);
  const record = join(dir, 'record.json');
  if (!existsSync(record)) throw new Error('the program never ran');
  return JSON.parse(readFileSync(record, 'utf8'));
}

describe('init-container mode: pipecd-bootstrap write beside the official images (podman, stand-in bases)', () => {
  beforeAll(() => {
    importStandInBases();
    buildImage('Dockerfile.init', [], INIT);
  }, 600_000);

  afterAll(() => {
    for (const volume of volumes) rmSync(volume, { recursive: true, force: true });
  });

  it('server: the init container writes root-owned 0600 files and prints the command; controlplane starts with it and reads them', async () => {
    const config = await createSecret('init-cp', b64(fixture('control-plane-ecs-demo.yaml')));
    const key = newEncryptionKey();
    const volume = newVolume();
    const init = runInit(volume, 'server', {
      CONTROL_PLANE_CONFIG_SECRET: config.arn,
      ENCRYPTION_KEY: key,
      DATASTORE_HOST: 'db.internal',
      CACHE_ADDRESS: 'redis.internal:6379',
    });
    expect(init.code, init.stderr).toBe(0);
    expect(init.printed!.command).toEqual([
      'server',
      `--config-file=${MOUNT}/control-plane-config.yaml`,
      `--encryption-key-file=${MOUNT}/encryption-key`,
      '--cache-address=redis.internal:6379',
    ]);
    expect(`${init.stdout}${init.stderr}`).not.toContain(key);

    const record = runProgram(BASES.controlplane, volume, init.printed!.command);
    expect(record.program).toBe('/usr/local/bin/controlplane');
    expect(record.args).toEqual(init.printed!.command);
    for (const f of record.files) expect([f.mode, f.uid, f.error]).toEqual(['600', 0, undefined]);
    expect(Buffer.from(record.files[1]!.base64!, 'base64').toString()).toBe(key);
    expect(Buffer.from(record.files[0]!.base64!, 'base64').toString()).toContain('tcp(db.internal:3306)');
  });

  it('piped: the files are given to uid 1000, and piped (USER piped, under the image tini) reads them from the read-only volume', async () => {
    const pipedKey = newPipedKey();
    const volume = newVolume();
    const init = runInit(volume, 'piped', { PIPED_CONFIG: fixture('piped-full.yaml'), PIPED_KEY: pipedKey });
    expect(init.code, init.stderr).toBe(0);
    expect(init.printed!.files.map((f) => [f.path, f.mode, f.uid, f.gid])).toEqual([
      [`${MOUNT}/piped-config.yaml`, '0600', 1000, 1000],
      [`${MOUNT}/piped-key`, '0600', 1000, 1000],
    ]);
    const record = runProgram(BASES.piped, volume, init.printed!.command);
    expect(record.init).toEqual(['/sbin/tini', '--', 'piped', ...init.printed!.command]);
    expect(record.args).toEqual(['piped', `--config-file=${MOUNT}/piped-config.yaml`]);
    expect(record.files[0]).toMatchObject({ mode: '600', uid: 1000 });
    expect(Buffer.from(record.files[0]!.base64!, 'base64').toString()).toContain(`pipedKeyFile: ${MOUNT}/piped-key`);
  });

  it("gateway and ops: envoy's user (101) reads its config; ops starts without --encryption-key-file", () => {
    const gatewayVolume = newVolume();
    const gateway = runInit(gatewayVolume, 'gateway', { ENVOY_CONFIG: fixture('envoy-ecs-demo.yaml') });
    expect(gateway.code, gateway.stderr).toBe(0);
    expect(gateway.printed!.command).toEqual(['-c', `${MOUNT}/envoy-config.yaml`]);
    const envoy = runProgram(BASES.envoy, gatewayVolume, gateway.printed!.command, '101:101');
    expect(envoy.files[0]).toMatchObject({ mode: '600', uid: 101, size: fixture('envoy-ecs-demo.yaml').length });

    const opsVolume = newVolume();
    const ops = runInit(opsVolume, 'ops', { CONTROL_PLANE_CONFIG: fixture('control-plane-ecs-demo.yaml') });
    expect(ops.code, ops.stderr).toBe(0);
    expect(runProgram(BASES.controlplane, opsVolume, ops.printed!.command).args).toEqual([
      'ops',
      `--config-file=${MOUNT}/control-plane-config.yaml`,
    ]);
  });

  it('the init container left as its non-root USER cannot write into a root-owned volume: exit 77 with the fix, nothing printed (control)', () => {
    const init = runInit(newVolume(), 'piped', { PIPED_CONFIG: fixture('piped-full.yaml') }, null);
    expect(init.code).toBe(77);
    expect(init.printed).toBeUndefined();
    const error = init.stderr.split('\n').find((l) => l.includes('"level":"error"'))!;
    expect(JSON.parse(error).hint).toContain('"user": "0"');
  });

  it('a bad input fails the init container (exit 65), so ECS never starts the program (dependsOn SUCCESS)', () => {
    const init = runInit(newVolume(), 'piped', { PIPED_CONFIG: 'kind: Piped\n' });
    expect(init.code).toBe(65);
    expect(init.printed).toBeUndefined();
  });
});
