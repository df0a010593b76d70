import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { errorLine, fixture, start } from './helpers/bundle.js';
import { forward, startFaultProxy, type Fault, type FaultProxy } from './helpers/fault-proxy.js';
import { createSecret, endpoint } from './helpers/secrets.js';

const envoy = fixture('envoy-ecs-demo.yaml');
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

async function gatewayThrough(decide: (target: string, index: number) => Fault, env: Record<string, string> = {}) {
  proxy = await startFaultProxy(endpoint(), (call, index) => decide(call.target, index));
  const secret = await createSecret('envoy', envoy);
  const began = Date.now();
  const result = await start({ secretsEndpoint: proxy.url, args: ['gateway', '--envoy-config-secret', secret.arn], env });
  return { result, secret, elapsedMs: Date.now() - began, calls: proxy.calls.length };
}

const nothingStarted = (r: Awaited<ReturnType<typeof start>>) => {
  expect(r.record).toBeUndefined();
  expect(existsSync(`${r.sandbox.out}/envoy-config.yaml`)).toBe(false);
};

describe('Secret Manager failures end the start with a documented exit code and a hint', () => {
  it('a secret that does not exist: 78', async () => {
    const r = await start({ args: ['gateway', '--envoy-config-secret', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:missing-AbCdEf'] });
    expect(r.code).toBe(78);
    expect(errorLine(r)!.msg).toBe('secret arn:aws:secretsmanager:us-east-1:123456789012:secret:missing-AbCdEf: not found (ResourceNotFoundException)');
    nothingStarted(r);
  });

  it('a version stage that does not exist: 78, naming the stage', async () => {
    const secret = await createSecret('envoy', envoy);
    const r = await start({ args: ['gateway', '--envoy-config-secret', `${secret.arn}::NOSUCHSTAGE`] });
    expect(r.code).toBe(78);
    expect(errorLine(r)!.msg).toMatch(/not found with stage NOSUCHSTAGE/);
  });

  it('AccessDeniedException: 77, saying which role needs which action on which ARN', async () => {
    const { result: r, secret } = await gatewayThrough(() => ({ kind: 'error', status: 400, type: 'AccessDeniedException', message: 'User is not authorized' }));
    expect(r.code).toBe(77);
    expect(errorLine(r)!.msg).toBe(`secret ${secret.arn}: access denied (AccessDeniedException)`);
    expect(errorLine(r)!.hint).toBe(`the task role (ECS) or instance role (App Runner) needs secretsmanager:GetSecretValue on ${secret.arn}, and kms:Decrypt on its KMS key if it uses a customer managed key`);
    nothingStarted(r);
  });

  it('KMS decrypt denied (DecryptionFailure): 77, naming kms:Decrypt', async () => {
    const { result: r } = await gatewayThrough(() => ({ kind: 'error', status: 400, type: 'DecryptionFailure', message: 'Access to KMS is not allowed' }));
    expect(r.code).toBe(77);
    expect(errorLine(r)!.hint).toMatch(/kms:Decrypt/);
    nothingStarted(r);
  });

  it('throttled on every try: 69 after a bounded number of retries', async () => {
    const { result: r, calls } = await gatewayThrough(() => ({ kind: 'error', status: 400, type: 'ThrottlingException', message: 'Rate exceeded' }));
    expect(r.code).toBe(69);
    expect(errorLine(r)!.msg).toMatch(/Secrets Manager unavailable after retries \(ThrottlingException, HTTP 400\)/);
    expect(calls).toBe(4);
    nothingStarted(r);
  });

  it('throttled twice, then answered: the start succeeds', async () => {
    const { result: r, calls } = await gatewayThrough((_, i) => (i < 2 ? { kind: 'error', status: 400, type: 'ThrottlingException' } : forward));
    expect(r.code).toBe(0);
    expect(calls).toBe(3);
  });

  for (const status of [500, 503]) {
    it(`HTTP ${status} on every try: 69`, async () => {
      const { result: r, calls } = await gatewayThrough(() => ({ kind: 'error', status, type: status === 503 ? 'ServiceUnavailable' : 'InternalServiceError' }));
      expect(r.code).toBe(69);
      expect(calls).toBe(4);
      nothingStarted(r);
    });
  }

  it('connection reset on every try: 69', async () => {
    const { result: r } = await gatewayThrough(() => ({ kind: 'reset' }));
    expect(r.code).toBe(69);
    nothingStarted(r);
  });

  it('an endpoint that stalls: 69 at the PIPECD_BOOTSTRAP_TIMEOUT deadline, not later', async () => {
    const { result: r, elapsedMs } = await gatewayThrough(() => ({ kind: 'stall' }), { PIPECD_BOOTSTRAP_TIMEOUT: '2' });
    expect(r.code).toBe(69);
    expect(errorLine(r)!.msg).toMatch(/no answer from Secrets Manager within the 2 s deadline/);
    expect(elapsedMs).toBeLessThan(10_000);
    nothingStarted(r);
  });

  it('no credentials at all: 77, naming the task role', async () => {
    const r = await start({
      args: ['gateway', '--envoy-config-secret', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf'],
      env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_CONTAINER_CREDENTIALS_FULL_URI: '', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_CONFIG_FILE: '/nonexistent' },
    });
    expect(r.code).toBe(77);
    expect(errorLine(r)!.hint).toMatch(/task role/);
  });
});
