import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { snapshotCommand } from '../scripts/lib/snapshot-blob.mjs';
import { dirname } from 'node:path';
import {
  baseEnv,
  BUNDLE,
  errorLine,
  fixture,
  makeSandbox,
  NODE20,
  NODE22,
  start as startBundle,
  type StartOptions,
  type StartResult,
} from './helpers/bundle.js';
import { CLIENTS, startWith, type Client } from './helpers/clients.js';
import { forward, startFaultProxy, type FaultProxy } from './helpers/fault-proxy.js';
import { observe } from './helpers/reliability.js';
import { createSecret, endpoint, labelParameter, putParameter, uniqueName } from './helpers/secrets.js';
import { b64, fileBytes, newEncryptionKey, newPipedKey } from './helpers/values.js';

const ACCOUNT = '123456789012';
const parameterArn = (name: string, region = 'us-east-1') => `arn:aws:ssm:${region}:${ACCOUNT}:parameter/${name.replace(/^\//, '')}`;
const controlPlane = fixture('control-plane-ecs-demo.yaml');
const pipedConfig = fixture('piped-full.yaml');
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

const resolvedLine = (r: StartResult) => r.logs.find((l) => l.msg === 'resolved inputs');

/** A gateway start whose one input is a parameter reference, through the fault proxy. */
async function gatewayThrough(
  client: Client,
  ref: string,
  decide: Parameters<typeof startFaultProxy>[1],
  env: Record<string, string> = {},
) {
  proxy = await startFaultProxy(endpoint(), decide);
  const began = Date.now();
  const r = await startWith(client, { secretsEndpoint: proxy.url, args: ['gateway', '--envoy-config-secret', ref], env });
  return { r, elapsedMs: Date.now() - began, calls: proxy.calls.length };
}

function noteRow(name: string, expected: string, r: StartResult, facts: { calls?: number; elapsedMs?: number } = {}) {
  const error = errorLine(r);
  const extra = [
    facts.calls !== undefined && `${facts.calls} calls`,
    facts.elapsedMs !== undefined && `${(facts.elapsedMs / 1000).toFixed(1)} s`,
    r.record ? 'program started' : 'nothing started',
  ];
  observe(
    'secret service faults',
    name,
    expected,
    `exit ${r.code}${error ? `: ${String(error.msg)} (hint: ${String(error.hint)})` : ''}; ${extra.filter(Boolean).join(', ')}`,
  );
}

describe.each(CLIENTS)('SSM Parameter Store references (moto_server SSM) ($name client)', (client) => {
  const start = (options: StartOptions = {}) => startWith(client, options);
  it('a SecureString by ssm:NAME and a String by ARN, decrypted and byte for byte, in one GetParameters call', async () => {
    proxy = await startFaultProxy(endpoint());
    const configName = `/${uniqueName('pipecd')}/piped-config`;
    const keyName = uniqueName('piped-key');
    const key = newPipedKey();
    await putParameter({ name: configName, value: b64(pipedConfig), type: 'SecureString' });
    await putParameter({ name: keyName, value: key, type: 'String' });
    const r = await start({
      secretsEndpoint: proxy.url,
      args: ['piped', '--piped-config-secret', `ssm:${configName}`, '--piped-key-secret', parameterArn(keyName)],
    });
    expect(r.code).toBe(0);
    // The control: the same values from env give the same files, byte for byte.
    const written = fileBytes(r.record, 'piped-config.yaml');
    expect(readFileSync(join(r.sandbox.out, 'piped-key'), 'utf8')).toBe(key);
    const fromEnv = await start({ sandbox: r.sandbox, args: ['piped'], env: { PIPED_CONFIG: b64(pipedConfig), PIPED_KEY: key } });
    expect(written.equals(fileBytes(fromEnv.record, 'piped-config.yaml'))).toBe(true);
    expect(proxy.calls.map((c) => [c.service, c.target, c.names, c.input.WithDecryption])).toEqual([
      ['ssm', 'GetParameters', [configName, keyName], true],
    ]);
    expect(resolvedLine(r)).toMatchObject({ secrets: 2, calls: 1, byOperation: { GetParameters: 1 } });
    for (const value of [key, b64(pipedConfig)]) expect(r.stderr + r.stdout).not.toContain(value);
  });

  it('a StringList is its text, commas and all', async () => {
    const name = `/${uniqueName('pipecd')}/users`;
    await putParameter({ name, value: 'pipecd,admin', type: 'StringList' });
    const r = await start({
      args: ['server', '--mysql-username-secret', `ssm:${name}`],
      env: { CONTROL_PLANE_CONFIG: controlPlane, ENCRYPTION_KEY: newEncryptionKey(), MYSQL_PASSWORD: 'pw' },
    });
    expect(r.code).toBe(0);
    expect(readFileSync(join(r.sandbox.out, 'mysql-username'), 'utf8')).toBe('pipecd,admin');
  });

  it('NAME:VERSION and NAME:LABEL select a version; the bare parameter is the latest', async () => {
    proxy = await startFaultProxy(endpoint());
    const name = `/${uniqueName('pipecd')}/rotating`;
    const v1 = `first-${newEncryptionKey()}`;
    const v2 = `second-${newEncryptionKey()}`;
    await putParameter({ name, value: v1 });
    await putParameter({ name, value: v2, overwrite: true });
    await labelParameter(name, 1, ['stable']);
    const r = await start({
      secretsEndpoint: proxy.url,
      args: [
        'server',
        '--encryption-key-secret',
        `ssm:${name}`,
        '--mysql-username-secret',
        `ssm:${name}:1`,
        '--mysql-password-secret',
        `${parameterArn(name)}:stable`,
      ],
      env: { CONTROL_PLANE_CONFIG: controlPlane },
    });
    expect(r.code).toBe(0);
    expect(fileBytes(r.record, 'encryption-key').toString()).toBe(v2);
    expect(readFileSync(join(r.sandbox.out, 'mysql-username'), 'utf8')).toBe(v1);
    expect(readFileSync(join(r.sandbox.out, 'mysql-password'), 'utf8')).toBe(v1);
    // One parameter named three ways: no call carries it twice, since an answer names the parameter, not the selector.
    expect(proxy.calls.map((c) => c.names).sort()).toEqual([[name], [`${name}:1`], [`${name}:stable`]]);
  });

  it('secrets and parameters are fetched side by side: the batch and GetParameters are in flight together', async () => {
    let secondArrived!: () => void;
    const both = new Promise<void>((resolve) => (secondArrived = resolve));
    proxy = await startFaultProxy(endpoint(), (_, index) => {
      if (index === 1) secondArrived();
      // The first call is held until the second arrives: a start that sent them one after the other would hit its deadline.
      return index === 0 ? { kind: 'forward', after: both } : forward;
    });
    const config = await createSecret('cp', controlPlane);
    const key = await createSecret('key', newEncryptionKey());
    const user = `/${uniqueName('pipecd')}/user`;
    const password = `/${uniqueName('pipecd')}/password`;
    await putParameter({ name: user, value: 'pipecd', type: 'String' });
    await putParameter({ name: password, value: `pw-${newPipedKey()}` });
    const r = await start({
      secretsEndpoint: proxy.url,
      args: ['server'],
      env: {
        CONTROL_PLANE_CONFIG_SECRET: config.arn,
        ENCRYPTION_KEY_SECRET: key.arn,
        MYSQL_USERNAME_SECRET: `ssm:${user}`,
        MYSQL_PASSWORD_SECRET: parameterArn(password),
        PIPECD_BOOTSTRAP_TIMEOUT: '10',
      },
    });
    expect(r.code).toBe(0);
    expect(proxy.calls.map((c) => c.target).sort()).toEqual(['BatchGetSecretValue', 'GetParameters']);
    expect(resolvedLine(r)).toMatchObject({ secrets: 4, calls: 2, byOperation: { BatchGetSecretValue: 1, GetParameters: 1 } });
  });

  it('through the startup snapshot too (with the sdk client, client-ssm comes from aws-secrets.cjs beside the blob)', async () => {
    const name = `/${uniqueName('pipecd')}/envoy`;
    const envoy = fixture('envoy-ecs-demo.yaml');
    await putParameter({ name, value: envoy });
    const r = await start({
      command: snapshotCommand(NODE22, inject('snapshotBlob')),
      args: ['gateway', '--envoy-config-secret', `ssm:${name}`],
    });
    expect(r.code).toBe(0);
    expect(fileBytes(r.record, 'envoy-config.yaml').toString()).toBe(envoy);
  });
});

describe('the SDK client loads client-ssm only for parameters', () => {
  it('a start without parameter references never loads client-ssm: it runs with that chunk deleted', async () => {
    const meta = JSON.parse(readFileSync(join(BUNDLE, '../meta.json'), 'utf8')) as {
      outputs: Record<string, { inputs: Record<string, unknown> }>;
    };
    const ssmChunks = Object.entries(meta.outputs)
      .filter(([, o]) => Object.keys(o.inputs).some((i) => i.includes('node_modules/@aws-sdk/client-ssm/')))
      .map(([file]) => file.replace(/^dist\//, ''));
    expect(ssmChunks).toHaveLength(1);
    const copy = mkdtempSync(join(tmpdir(), 'bundle-without-ssm-'));
    cpSync(join(BUNDLE, '..'), copy, { recursive: true });
    rmSync(join(copy, ssmChunks[0]!));
    const sandbox = makeSandbox();
    const secret = await createSecret('envoy', fixture('envoy-ecs-demo.yaml'));
    // client-ssm is the SDK client's; the fast client has no chunk to load.
    const env = { ...baseEnv(sandbox, endpoint()), ...CLIENTS.find((c) => c.name === 'sdk')!.env };
    const secretsOnly = spawnSync(NODE20, [join(copy, 'pipecd-bootstrap.mjs'), 'gateway', '--envoy-config-secret', secret.arn], {
      env,
      encoding: 'utf8',
    });
    expect(secretsOnly.status).toBe(0);
    const name = `/${uniqueName('pipecd')}/envoy`;
    await putParameter({ name, value: fixture('envoy-ecs-demo.yaml') });
    // The control: a parameter reference does load that chunk, and fails without it.
    const withParameter = spawnSync(NODE20, [join(copy, 'pipecd-bootstrap.mjs'), 'gateway', '--envoy-config-secret', `ssm:${name}`], {
      env,
      encoding: 'utf8',
    });
    expect(withParameter.status).toBe(70);
    expect(readdirSync(join(copy, dirname(ssmChunks[0]!))).length).toBe(readdirSync(join(BUNDLE, '..', dirname(ssmChunks[0]!))).length - 1);
  });
});

describe.each(CLIENTS)('credentials ($name client)', (client) => {
  const start = (options: StartOptions = {}) => startWith(client, options);
  it('the container credentials endpoint is asked once per start, however many clients the start needs', async () => {
    let asked = 0;
    const credentialsServer = createServer((_, res) => {
      asked++;
      const expiration = new Date(Date.now() + 3_600_000).toISOString();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          AccessKeyId: 'ASIATESTTESTTEST',
          SecretAccessKey: 'task-role-secret',
          Token: 'task-role-token',
          Expiration: expiration,
        }),
      );
    });
    await new Promise<void>((resolve) => credentialsServer.listen(0, '127.0.0.1', resolve));
    const port = (credentialsServer.address() as AddressInfo).port;
    try {
      // Three clients: the batch (no throttling retries), GetSecretValue after the throttled batch, and SSM.
      proxy = await startFaultProxy(endpoint(), (call) =>
        call.target === 'BatchGetSecretValue' ? { kind: 'error', status: 400, type: 'ThrottlingException' } : forward,
      );
      const config = await createSecret('creds-config', controlPlane);
      const key = await createSecret('creds-key', newEncryptionKey());
      const user = `/${uniqueName('pipecd')}/user`;
      await putParameter({ name: user, value: 'pipecd' });
      const r = await start({
        secretsEndpoint: proxy.url,
        args: [
          'server',
          '--control-plane-config-secret',
          config.arn,
          '--encryption-key-secret',
          key.arn,
          '--mysql-username-secret',
          `ssm:${user}`,
        ],
        env: {
          MYSQL_PASSWORD: 'pw',
          AWS_ACCESS_KEY_ID: '',
          AWS_SECRET_ACCESS_KEY: '',
          AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${port}/v2/credentials`,
        },
      });
      expect(r.code).toBe(0);
      expect(proxy.calls.map((c) => c.target).sort()).toEqual(['BatchGetSecretValue', 'GetParameters', 'GetSecretValue', 'GetSecretValue']);
      // Once, not zero times (the endpoint was the credential source) nor once per client.
      expect(asked).toBe(1);
    } finally {
      credentialsServer.close();
    }
  });
});

describe('--help states the reference forms and the rule for bare names', () => {
  it('lists both services and says a bare name is a secret', async () => {
    const r = await startBundle({ args: ['--help'] });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Secrets Manager  ARN-or-name[:json-key[:version-stage[:version-id]]]');
    expect(r.stdout).toContain('SSM parameter    arn:aws:ssm:REGION:ACCOUNT:parameter/NAME[:VERSION|:LABEL]');
    expect(r.stdout).toContain('ssm:NAME[:VERSION|:LABEL]  (in AWS_REGION)');
    expect(r.stdout).toContain('a bare name is always a Secrets Manager secret, never a parameter');
  });
});

describe.each(CLIENTS)('SSM failures end the start with a documented exit code and a hint ($name client)', (client) => {
  const start = (options: StartOptions = {}) => startWith(client, options);
  const note = (name: string, ...rest: Parameters<typeof noteRow> extends [string, ...infer R] ? R : never) =>
    noteRow(`${name} (${client.name} client)`, ...rest);
  it('a missing parameter by ssm:NAME: 78, saying where it looked and how to write a secret', async () => {
    const name = `/${uniqueName('pipecd')}/missing`;
    const r = await start({ args: ['gateway', '--envoy-config-secret', `ssm:${name}`] });
    note('SSM parameter that does not exist (ssm:NAME)', 'exit 78, hint says where it looked', r);
    expect(r.code).toBe(78);
    expect(errorLine(r)!.msg).toBe(`parameter ssm:${name}: not found (InvalidParameters)`);
    expect(errorLine(r)!.hint).toBe(
      `looked up SSM parameter ${name} in us-east-1; check the name (hierarchical names begin with /) and AWS_REGION; for a Secrets Manager secret of that name, drop the ssm: prefix`,
    );
    expect(r.record).toBeUndefined();
  });

  it('a version that does not exist: 78 naming the version', async () => {
    const name = `/${uniqueName('pipecd')}/one-version`;
    await putParameter({ name, value: fixture('envoy-ecs-demo.yaml') });
    const r = await start({ args: ['gateway', '--envoy-config-secret', `${parameterArn(name)}:9`] });
    expect(r.code).toBe(78);
    expect(errorLine(r)!.msg).toBe(`parameter ${parameterArn(name)}:9: not found with version 9 (InvalidParameters)`);
  });

  it('a bare name is a secret: not found, the hint says so and how to write a parameter', async () => {
    const name = uniqueName('only-a-parameter');
    await putParameter({ name, value: fixture('envoy-ecs-demo.yaml') });
    const r = await start({ args: ['gateway', '--envoy-config-secret', name] });
    note('bare name that exists only as an SSM parameter', 'exit 78, hint names ssm:NAME', r);
    expect(r.code).toBe(78);
    expect(errorLine(r)!.msg).toBe(`secret ${name}: not found (ResourceNotFoundException)`);
    expect(errorLine(r)!.hint).toBe(
      `looked up as a Secrets Manager secret named ${name} in us-east-1 (a bare name is always a secret); for an SSM parameter write ssm:${name} or arn:aws:ssm:us-east-1:ACCOUNT:parameter/${name}`,
    );
  });

  it('AccessDeniedException: 77, naming ssm:GetParameters on the parameter', async () => {
    const ref = parameterArn('pipecd/denied');
    const { r, calls } = await gatewayThrough(client, ref, () => ({
      kind: 'error',
      status: 400,
      type: 'AccessDeniedException',
      message: 'not authorized to perform: ssm:GetParameters',
    }));
    note('SSM AccessDeniedException', 'exit 77, hint names ssm:GetParameters and the ARN', r, { calls });
    expect(r.code).toBe(77);
    expect(errorLine(r)!.msg).toBe(`parameter ${ref}: access denied (AccessDeniedException)`);
    expect(errorLine(r)!.hint).toBe(
      'the task role (ECS) or instance role (App Runner) needs ssm:GetParameters on arn:aws:ssm:us-east-1:<account>:parameter/pipecd/denied, and kms:Decrypt on the KMS key of a SecureString that uses a customer managed key',
    );
    expect(calls).toBe(1);
  });

  it('a SecureString whose KMS key refuses: 77, naming kms:Decrypt', async () => {
    const { r } = await gatewayThrough(client, 'ssm:/pipecd/kms', () => ({
      kind: 'error',
      status: 400,
      type: 'AccessDeniedException',
      message: 'User is not authorized to perform: kms:Decrypt',
    }));
    note('SSM SecureString, KMS refuses', 'exit 77, hint names kms:Decrypt', r);
    expect(r.code).toBe(77);
    expect(errorLine(r)!.msg).toBe('parameter ssm:/pipecd/kms: SSM Parameter Store could not decrypt it with KMS (AccessDeniedException)');
  });

  it('throttled twice, then answered: GetParameters is retried with backoff (single calls would share its quota)', async () => {
    const name = `/${uniqueName('pipecd')}/throttled`;
    await putParameter({ name, value: fixture('envoy-ecs-demo.yaml') });
    const { r, calls, elapsedMs } = await gatewayThrough(client, `ssm:${name}`, (call, i) =>
      i < 2 ? { kind: 'error', status: 400, type: 'ThrottlingException', message: 'Rate exceeded' } : forward,
    );
    note('SSM ThrottlingException twice, then answered', 'exit 0 after 3 GetParameters calls', r, { calls, elapsedMs });
    expect(r.code).toBe(0);
    expect(proxy!.calls.map((c) => c.target)).toEqual(['GetParameters', 'GetParameters', 'GetParameters']);
  });

  it('throttled on every try: 69 after 4 attempts, naming the quota and how to spread starts', async () => {
    const { r, calls, elapsedMs } = await gatewayThrough(client, 'ssm:/pipecd/always-throttled', () => ({
      kind: 'error',
      status: 400,
      type: 'ThrottlingException',
      message: 'Rate exceeded',
    }));
    note('SSM ThrottlingException on every try', 'exit 69 after 4 attempts, hint names the quota', r, { calls, elapsedMs });
    expect(r.code).toBe(69);
    expect(errorLine(r)!.msg).toBe(
      'parameter ssm:/pipecd/always-throttled: SSM Parameter Store unavailable after retries (ThrottlingException, HTTP 400)',
    );
    expect(errorLine(r)!.hint).toMatch(
      /^the account's quota is used up: GetParameter and GetParameters share 40 transactions per second .*maximumPercent.*minimumHealthyPercent/,
    );
    expect(calls).toBe(4);
  });
});
