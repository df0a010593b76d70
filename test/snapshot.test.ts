import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { errorLine, fixture, launch, makeSandbox, NODE22, start, waitForFile, type StartOptions } from './helpers/bundle.js';
import { buildSnapshotBlob, SNAPSHOT_START, snapshotCommand } from '../scripts/lib/snapshot-blob.mjs';
import { SNAPSHOT_DIR } from '../scripts/lib/paths.mjs';
import { CLIENTS, startWith } from './helpers/clients.js';
import { startFaultProxy, type FaultProxy } from './helpers/fault-proxy.js';
import { createSecret, endpoint } from './helpers/secrets.js';
import { b64, fileBytes, newEncryptionKey } from './helpers/values.js';

/** The startup snapshot as the images run it (docker/pipecd-bootstrap), built with the same Node. */
let command: string[];
let proxy: FaultProxy | undefined;
beforeAll(() => {
  command = snapshotCommand(NODE22, inject('snapshotBlob'));
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

describe('the command that starts the snapshot', () => {
  it("is the images' (docker/pipecd-bootstrap's exec line), so what these tests and the benchmark run is what a task runs", () => {
    const exec = readFileSync(new URL('../docker/pipecd-bootstrap', import.meta.url), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('exec '));
    expect(exec).toEqual([
      `exec /usr/local/bin/node ${SNAPSHOT_START.join(' ')} /opt/pipecd-bootstrap/snapshot/pipecd-bootstrap.blob "$@"`,
    ]);
    expect(SNAPSHOT_START).toEqual(['--no-rehash-snapshot', '--snapshot-blob']);
  });
});

describe('the startup snapshot (Node 22) behaves as the bundle does', () => {
  it('an env-only start renders, writes and replaces itself with the program', async () => {
    const key = newEncryptionKey();
    const r = await start({
      command,
      args: ['server', '--', '--insecure-cookie'],
      env: { CONTROL_PLANE_CONFIG: b64(fixture('control-plane-ecs-demo.yaml')), ENCRYPTION_KEY: key, DATASTORE_HOST: 'db.internal' },
    });
    expect(r.code).toBe(0);
    expect(r.record!.pid).toBe(r.pid);
    expect(r.record!.args.at(-1)).toBe('--insecure-cookie');
    expect(fileBytes(r.record, 'encryption-key').toString()).toBe(key);
    expect(fileBytes(r.record, 'control-plane-config.yaml').toString()).toContain('tcp(db.internal:3306)');
  });

  it('bad input fails with the same one-line error', async () => {
    const r = await start({
      command,
      args: ['ops'],
      env: { CONTROL_PLANE_CONFIG: fixture('control-plane-ecs-demo.yaml').replace('kind: ControlPlane', 'kind: Piped') },
    });
    expect(r.code).toBe(65);
    expect(errorLine(r)!.msg).toBe('CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG): kind (line 2, column 7): must be ControlPlane');
  });

  it('logs inside the snapshot: JSON lines of the same shape, and humanize', async () => {
    const json = await start({ command, args: ['gateway'], env: { ENVOY_CONFIG: fixture('envoy-ecs-demo.yaml') } });
    expect(json.code).toBe(0);
    expect(json.logs.map((l) => Object.keys(l).slice(0, 3).join(','))).toEqual(Array(5).fill('level,time,logger'));
    expect(json.logs.at(-1)).toMatchObject({ level: 'info', logger: 'pipecd-bootstrap', msg: 'starting program', mode: 'execve' });
    const human = await start({
      command,
      args: ['gateway', '--log-encoding=humanize'],
      env: { ENVOY_CONFIG: fixture('envoy-ecs-demo.yaml') },
    });
    expect(
      human.stderr
        .trim()
        .split('\n')
        .map((l) => l.split('\t')[1]),
    ).toEqual(Array(5).fill('INFO'));
  });

  it('render prints the plan', async () => {
    const r = await start({ command, args: ['render', 'gateway'], env: { ENVOY_CONFIG: fixture('envoy-ecs-demo.yaml') } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).files[0].mode).toBe('0600');
  });

  it('SIGTERM to the PID reaches the program and its exit code comes back', async () => {
    const sandbox = makeSandbox();
    const ready = join(sandbox.root, 'ready');
    const { child, done } = launch({
      command,
      sandbox,
      args: ['gateway'],
      env: { ENVOY_CONFIG: fixture('envoy-ecs-demo.yaml'), STAND_IN_BEHAVIOUR: 'wait', STAND_IN_READY: ready, STAND_IN_TERM_EXIT: '9' },
    });
    await waitForFile(ready);
    child.kill('SIGTERM');
    const r = await done;
    expect(r.code).toBe(9);
    expect(readFileSync(`${sandbox.record}.signals`, 'utf8')).toBe('SIGTERM\n');
  });
});

describe.each(CLIENTS)('the startup snapshot with references ($name client)', (client) => {
  it('references take one call', async () => {
    proxy = await startFaultProxy(endpoint());
    const config = await createSecret('snap-piped', JSON.stringify({ config: b64(fixture('piped-full.yaml')), key: 'k' }));
    const r = await startWith(client, {
      command,
      secretsEndpoint: proxy.url,
      args: ['piped', `--piped-config-secret=${config.arn}:config`, `--piped-key-secret=${config.arn}:key`],
    });
    expect(r.code).toBe(0);
    expect(proxy.calls.map((c) => c.target)).toEqual(['GetSecretValue']);
  });

  it('AWS errors keep their exit codes (78, 77), not 70 (the SDK transport is a separately loaded bundle)', async () => {
    const missing = await startWith(client, {
      command,
      args: ['gateway', '--envoy-config-secret', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:nope-AbCdEf'],
    });
    expect(missing.code).toBe(78);
    proxy = await startFaultProxy(endpoint(), () => ({ kind: 'error', status: 400, type: 'AccessDeniedException' }));
    const denied = await startWith(client, {
      command,
      secretsEndpoint: proxy.url,
      args: ['gateway', '--envoy-config-secret', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf'],
    });
    expect(denied.code).toBe(77);
    expect(errorLine(denied)!.hint).toMatch(/secretsmanager:GetSecretValue/);
  });
});

describe('the startup snapshot holds the fast client', () => {
  it('a start with references on the fast client runs without aws-secrets.cjs beside the blob; on the sdk client it needs it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipecd-bootstrap-test-'));
    const blob = join(dir, 'pipecd-bootstrap.blob');
    copyFileSync(inject('snapshotBlob'), blob);
    const secret = await createSecret('snap-envoy', fixture('envoy-ecs-demo.yaml'));
    const options: StartOptions = { command: snapshotCommand(NODE22, blob), args: ['gateway', '--envoy-config-secret', secret.arn] };
    const [fast, sdk] = CLIENTS;
    const viaFast = await startWith(fast!, options);
    expect(viaFast.code).toBe(0);
    // The control: the SDK transport is loaded from beside the blob, and is missing there.
    const viaSdk = await start({ ...options, env: sdk!.env });
    expect(viaSdk.code).toBe(70);
  });
});

describe('the startup snapshot without execa in it', () => {
  it('a Node without process.execve supervises through execa.cjs beside the blob; without that file it fails before the program runs', async () => {
    // A Node older than 22.15 cannot be installed here: this one loses process.execve while its blob is built.
    const dir = mkdtempSync(join(tmpdir(), 'pipecd-bootstrap-test-'));
    writeFileSync(join(dir, 'entry.cjs'), `delete process.execve;\n${readFileSync(join(SNAPSHOT_DIR, 'entry.cjs'), 'utf8')}`);
    copyFileSync(join(SNAPSHOT_DIR, 'execa.cjs'), join(dir, 'execa.cjs'));
    const options: StartOptions = {
      command: snapshotCommand(NODE22, buildSnapshotBlob(NODE22, dir)),
      args: ['gateway'],
      env: { ENVOY_CONFIG: fixture('envoy-ecs-demo.yaml') },
    };
    const supervised = await start(options);
    expect(supervised.code).toBe(0);
    expect(supervised.logs.at(-1)).toMatchObject({ msg: 'starting program', mode: 'supervise' });
    expect(supervised.record!.pid).not.toBe(supervised.pid);
    // The control: the same blob with execa.cjs gone.
    rmSync(join(dir, 'execa.cjs'));
    const without = await start(options);
    expect(without.code).toBe(70);
    expect(without.record).toBeUndefined();
  });
});
