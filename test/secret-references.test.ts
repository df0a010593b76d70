import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtempSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BUNDLE, fixture, makeSandbox, NODE20, start } from './helpers/bundle.js';
import { startFaultProxy, type FaultProxy } from './helpers/fault-proxy.js';
import { createSecret, endpoint, putSecretValue } from './helpers/secrets.js';
import { b64, fileBytes, newEncryptionKey, newPipedKey } from './helpers/values.js';
import { spawnSync } from 'node:child_process';
import { baseEnv } from './helpers/bundle.js';

const envoy = fixture('envoy-ecs-demo.yaml');
const pipedConfig = fixture('piped-full.yaml');
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

const gateway = async (ref: string) => start({ args: ['gateway', '--envoy-config-secret', ref] });

describe('secret references in the ECS valueFrom grammar', () => {
  it("on Node 20 too, every line on stderr is a JSON log line (the SDK's Node version warning included)", async () => {
    const secret = await createSecret('envoy', envoy);
    const r = await start({ node: NODE20, args: ['gateway', '--envoy-config-secret', secret.arn] });
    expect(r.code).toBe(0);
    expect(r.logs.filter((l) => 'raw' in l)).toEqual([]);
  });

  it('by full ARN, by name and by partial ARN (without the random suffix)', async () => {
    const secret = await createSecret('envoy', envoy);
    const partial = secret.arn.replace(/-[A-Za-z0-9]{6}$/, '');
    for (const ref of [secret.arn, secret.name, partial]) {
      const r = await gateway(ref);
      expect(r.code, ref).toBe(0);
      expect(fileBytes(r.record, 'envoy-config.yaml').toString()).toBe(envoy);
    }
  });

  it('ARN:json-key reads one key of a JSON secret', async () => {
    const secret = await createSecret('bundle', JSON.stringify({ envoy, other: 'x' }));
    const r = await gateway(`${secret.arn}:envoy`);
    expect(r.code).toBe(0);
    expect(fileBytes(r.record, 'envoy-config.yaml').toString()).toBe(envoy);
  });

  it('ARN::version-stage and ARN:::version-id pin a version', async () => {
    const secret = await createSecret('versions', envoy.replace('port_value: 9090', 'port_value: 9091'));
    const firstVersion = secret.versionId;
    await putSecretValue(secret.arn, envoy);
    const previous = await gateway(`${secret.arn}::AWSPREVIOUS`);
    expect(previous.code).toBe(0);
    expect(fileBytes(previous.record, 'envoy-config.yaml').toString()).toContain('port_value: 9091');
    const byId = await gateway(`${secret.arn}:::${firstVersion}`);
    expect(byId.code).toBe(0);
    expect(fileBytes(byId.record, 'envoy-config.yaml').toString()).toContain('port_value: 9091');
    const current = await gateway(`${secret.arn}::AWSCURRENT`);
    expect(fileBytes(current.record, 'envoy-config.yaml').toString()).toBe(envoy);
  });

  it('SecretBinary is used byte for byte', async () => {
    const key = Buffer.concat([Buffer.from([0, 1, 2, 255, 254, 10, 13]), Buffer.alloc(40, 7)]);
    const secret = await createSecret('binary-key', key);
    const r = await start({
      args: ['server', '--encryption-key-secret', secret.arn],
      env: { CONTROL_PLANE_CONFIG: fixture('control-plane-ecs-demo.yaml') },
    });
    expect(r.code).toBe(0);
    expect(fileBytes(r.record, 'encryption-key').equals(key)).toBe(true);
  });

  it("piped's own convention, base64 YAML in the SecretString, is decoded by the auto rule", async () => {
    const secret = await createSecret('piped-config', b64(pipedConfig));
    const r = await start({ args: ['piped', '--piped-config-secret', secret.arn] });
    expect(r.code).toBe(0);
    expect(fileBytes(r.record, 'piped-config.yaml').toString()).toBe(pipedConfig);
  });

  it('App Runner: a StartCommand with one reference and nothing else works', async () => {
    const secret = await createSecret('piped-config', b64(pipedConfig));
    const sandbox = makeSandbox();
    const env = baseEnv(sandbox, endpoint());
    const r = spawnSync(NODE20, [BUNDLE, 'piped', '--piped-config-secret', secret.arn], { env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    // App Runner's StartCommand replaces CMD only; written with the program's name, that name arrives as an argument.
    const asCmd = spawnSync(NODE20, [BUNDLE, 'pipecd-bootstrap', 'piped', '--piped-config-secret', secret.arn], { env, encoding: 'utf8' });
    expect(asCmd.status).toBe(0);
  });

  it('references to one secret are fetched once, and up to 20 secrets take one BatchGetSecretValue call', async () => {
    proxy = await startFaultProxy(endpoint());
    const json = await createSecret(
      'control-plane',
      JSON.stringify({ config: fixture('control-plane-ecs-demo.yaml'), key: newEncryptionKey() }),
    );
    const user = await createSecret('mysql-user', 'pipecd');
    const password = await createSecret('mysql-password', 'secret-password');
    const r = await start({
      secretsEndpoint: proxy.url,
      args: ['server'],
      env: {
        CONTROL_PLANE_CONFIG_SECRET: `${json.arn}:config`,
        ENCRYPTION_KEY_SECRET: `${json.arn}:key`,
        MYSQL_USERNAME_SECRET: user.arn,
        MYSQL_PASSWORD_SECRET: password.name,
      },
    });
    expect(r.code).toBe(0);
    expect(proxy.calls.map(({ target, secretIds }) => ({ target, secretIds }))).toEqual([
      { target: 'BatchGetSecretValue', secretIds: [json.arn, user.arn, password.name] },
    ]);
    expect(r.logs.find((l) => l.msg === 'resolved inputs')).toMatchObject({ secrets: 3, calls: 1 });
  });

  it('when BatchGetSecretValue is denied, the same secrets come by parallel GetSecretValue', async () => {
    proxy = await startFaultProxy(endpoint(), (call) =>
      call.target === 'BatchGetSecretValue'
        ? {
            kind: 'error',
            status: 400,
            type: 'AccessDeniedException',
            message: 'not authorized to perform: secretsmanager:BatchGetSecretValue',
          }
        : { kind: 'forward' },
    );
    const config = await createSecret('piped-config', pipedConfig);
    const key = await createSecret('piped-key', newPipedKey());
    const r = await start({
      secretsEndpoint: proxy.url,
      args: ['piped', '--piped-config-secret', config.arn, '--piped-key-secret', key.arn],
    });
    expect(r.code).toBe(0);
    expect(proxy.calls.map((c) => c.target).sort()).toEqual(['BatchGetSecretValue', 'GetSecretValue', 'GetSecretValue']);
    expect(r.logs.find((l) => l.msg === 'resolved inputs')).toMatchObject({ batchDenied: true, calls: 3 });
  });

  it('a start without references never loads the AWS SDK: it runs with the SDK chunk deleted', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'bundle-without-sdk-'));
    cpSync(join(BUNDLE, '..'), copy, { recursive: true });
    const chunks = join(copy, 'chunks');
    for (const name of readdirSync(chunks)) if (name.startsWith('sdk-transport-')) rmSync(join(chunks, name));
    const sandbox = makeSandbox();
    const env = { ...baseEnv(sandbox, endpoint()), ENVOY_CONFIG: envoy };
    const withoutSdk = spawnSync(NODE20, [join(copy, 'pipecd-bootstrap.mjs'), 'gateway'], { env, encoding: 'utf8' });
    expect(withoutSdk.status).toBe(0);
    const secret = await createSecret('envoy', envoy);
    const { ENVOY_CONFIG: _, ...withoutConfig } = env;
    const needsSdk = spawnSync(NODE20, [join(copy, 'pipecd-bootstrap.mjs'), 'gateway'], {
      env: { ...withoutConfig, ENVOY_CONFIG_SECRET: secret.arn },
      encoding: 'utf8',
    });
    // The control: a start with a reference does load that chunk, and fails without it.
    expect(needsSdk.status).toBe(70);
    expect(JSON.parse(needsSdk.stderr.trim().split('\n').at(-1)!).msg).toBe('internal error in pipecd-bootstrap; please report it');
  });
});
