import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { fixture, makeSandbox, start } from './helpers/bundle.js';
import { controlPlaneConfig, fileBytes, newEncryptionKey, newPipedKey } from './helpers/values.js';

describe('each role starts its program with the rendered flags', () => {
  it('server: pipecd server --config-file= --encryption-key-file= --cache-address=, then the pass-through args', async () => {
    const key = newEncryptionKey();
    const config = controlPlaneConfig();
    const r = await start({
      args: ['server', '--', '--insecure-cookie', '--grace-period=30s'],
      env: { CONTROL_PLANE_CONFIG: config.text, ENCRYPTION_KEY: key, CACHE_ADDRESS: 'redis.internal:6379' },
    });
    expect(r.code).toBe(0);
    const out = r.sandbox.out;
    expect(r.record!.program).toBe(join(r.sandbox.bin, 'pipecd'));
    expect(r.record!.args).toEqual([
      'server',
      `--config-file=${out}/control-plane-config.yaml`,
      `--encryption-key-file=${out}/encryption-key`,
      '--cache-address=redis.internal:6379',
      '--insecure-cookie',
      '--grace-period=30s',
    ]);
    expect(fileBytes(r.record, 'encryption-key').toString('utf8')).toBe(key);
    expect(fileBytes(r.record, 'control-plane-config.yaml').toString('utf8')).toBe(config.text);
  });

  it('server and ops prefer controlplane (PipeCD after v0.57.0) over pipecd on PATH', async () => {
    const r = await start({
      sandbox: makeSandbox(['controlplane', 'pipecd']),
      args: ['ops'],
      env: { CONTROL_PLANE_CONFIG: fixture('control-plane-firestore-gcs.yaml') },
    });
    expect(r.code).toBe(0);
    expect(r.record!.program.endsWith('/controlplane')).toBe(true);
  });

  it('ops: pipecd ops --config-file= and never --encryption-key-file, even with ENCRYPTION_KEY set', async () => {
    const r = await start({
      args: ['ops'],
      env: { CONTROL_PLANE_CONFIG: fixture('control-plane-ecs-demo.yaml'), ENCRYPTION_KEY: newEncryptionKey() },
    });
    expect(r.code).toBe(0);
    expect(r.record!.args).toEqual(['ops', `--config-file=${r.sandbox.out}/control-plane-config.yaml`]);
    expect(r.record!.env.ENCRYPTION_KEY).toBeUndefined();
  });

  it('gateway: envoy -c with the envoy config written as given', async () => {
    const envoy = fixture('envoy-ecs-demo.yaml');
    const r = await start({ args: ['gateway'], env: { ENVOY_CONFIG: envoy } });
    expect(r.code).toBe(0);
    expect(r.record!.program.endsWith('/envoy')).toBe(true);
    expect(r.record!.args).toEqual(['-c', `${r.sandbox.out}/envoy-config.yaml`]);
    expect(fileBytes(r.record, 'envoy-config.yaml').toString('utf8')).toBe(envoy);
  });

  for (const role of ['piped', 'launcher'] as const) {
    it(`${role}: ${role} ${role} --config-file=, with PIPED_KEY written as the key file the config points at`, async () => {
      const key = newPipedKey();
      const r = await start({ args: [role], env: { PIPED_CONFIG: fixture('piped-full.yaml'), PIPED_KEY: key } });
      expect(r.code).toBe(0);
      expect(r.record!.program.endsWith(`/${role}`)).toBe(true);
      expect(r.record!.args).toEqual([role, `--config-file=${r.sandbox.out}/piped-config.yaml`]);
      const config = parse(readFileSync(join(r.sandbox.out, 'piped-config.yaml'), 'utf8'));
      expect(config.spec.pipedKeyFile).toBe(join(r.sandbox.out, 'piped-key'));
      expect(readFileSync(join(r.sandbox.out, 'piped-key'), 'utf8')).toBe(key);
      expect(statSync(join(r.sandbox.out, 'piped-key')).mode & 0o777).toBe(0o600);
    });
  }

  it('piped: PIPED_KEY replaces an inline pipedKeyData', async () => {
    const withData = fixture('piped-v1-plugins.yaml').replace('pipedKeyFile: etc/piped/key', 'pipedKeyData: aW5saW5l');
    const r = await start({ args: ['piped'], env: { PIPED_CONFIG: withData, PIPED_KEY: newPipedKey() } });
    expect(r.code).toBe(0);
    const spec = parse(readFileSync(join(r.sandbox.out, 'piped-config.yaml'), 'utf8')).spec;
    expect(spec.pipedKeyData).toBeUndefined();
    expect(spec.pipedKeyFile).toBe(join(r.sandbox.out, 'piped-key'));
  });

  it('server with MYSQL_USERNAME/MYSQL_PASSWORD: credential files, a bare host:port url, and DATASTORE_HOST applied', async () => {
    const r = await start({
      args: ['server'],
      env: {
        CONTROL_PLANE_CONFIG: fixture('control-plane-ecs-demo.yaml'),
        ENCRYPTION_KEY: newEncryptionKey(),
        MYSQL_USERNAME: 'pipecd',
        MYSQL_PASSWORD: 'p@ss:word',
        DATASTORE_HOST: 'db.cluster-1.rds.amazonaws.com',
      },
    });
    expect(r.code).toBe(0);
    const written = readFileSync(join(r.sandbox.out, 'control-plane-config.yaml'), 'utf8');
    const config = parse(written).spec.datastore.config;
    expect(config).toEqual({
      url: 'db.cluster-1.rds.amazonaws.com:3306',
      database: 'quickstart',
      usernameFile: join(r.sandbox.out, 'mysql-username'),
      passwordFile: join(r.sandbox.out, 'mysql-password'),
    });
    expect(readFileSync(join(r.sandbox.out, 'mysql-password'), 'utf8')).toBe('p@ss:word');
    expect(written).toContain('# bcrypt value of "hello-pipecd"');
  });
});
