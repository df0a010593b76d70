import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { errorLine, fixture, type StartOptions } from './helpers/bundle.js';
import { CLIENTS, startWith } from './helpers/clients.js';
import { forward, startFaultProxy, type Fault, type FaultProxy } from './helpers/fault-proxy.js';
import { createSecret, endpoint } from './helpers/secrets.js';
import { observe } from './helpers/reliability.js';
import type { StartResult } from './helpers/bundle.js';

const envoy = fixture('envoy-ecs-demo.yaml');
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

/** A row of docs/reliability.md for a failure case: exit code, message, hint, calls, time, and whether anything started. */
function noteRow(name: string, expected: string, r: StartResult, facts: { calls?: number; elapsedMs?: number } = {}) {
  const error = errorLine(r);
  const extra = [
    facts.calls !== undefined && `${facts.calls} calls`,
    facts.elapsedMs !== undefined && `${(facts.elapsedMs / 1000).toFixed(1)} s`,
    r.record ? 'program started' : 'nothing started',
  ]
    .filter(Boolean)
    .join(', ');
  observe(
    'secret service faults',
    name,
    expected,
    `exit ${r.code}${error ? `: ${String(error.msg)} (hint: ${String(error.hint)})` : ''}; ${extra}`,
  );
}

const nothingStarted = (r: StartResult) => {
  expect(r.record).toBeUndefined();
  expect(existsSync(`${r.sandbox.out}/envoy-config.yaml`)).toBe(false);
};

describe.each(CLIENTS)('Secret Manager failures end the start with a documented exit code and a hint ($name client)', (client) => {
  const start = (options: StartOptions = {}) => startWith(client, options);
  const note = (name: string, ...rest: Parameters<typeof noteRow> extends [string, ...infer R] ? R : never) =>
    noteRow(`${name} (${client.name} client)`, ...rest);
  const gatewayThrough = async (decide: (target: string, index: number) => Fault, env: Record<string, string> = {}) => {
    proxy = await startFaultProxy(endpoint(), (call, index) => decide(call.target, index));
    const secret = await createSecret('envoy', envoy);
    const began = Date.now();
    const result = await start({ secretsEndpoint: proxy.url, args: ['gateway', '--envoy-config-secret', secret.arn], env });
    // Every call the proxy saw came from the client this row names.
    expect(proxy.calls.filter((c) => !client.sent(c.userAgent))).toEqual([]);
    return { result, secret, elapsedMs: Date.now() - began, calls: proxy.calls.length };
  };

  it('a secret that does not exist: 78', async () => {
    const r = await start({
      args: ['gateway', '--envoy-config-secret', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:missing-AbCdEf'],
    });
    note('ResourceNotFoundException', 'exit 78, nothing started', r);
    expect(r.code).toBe(78);
    expect(errorLine(r)!.msg).toBe(
      'secret arn:aws:secretsmanager:us-east-1:123456789012:secret:missing-AbCdEf: not found (ResourceNotFoundException)',
    );
    nothingStarted(r);
  });

  it('a version stage that does not exist: 78, naming the stage', async () => {
    const secret = await createSecret('envoy', envoy);
    const r = await start({ args: ['gateway', '--envoy-config-secret', `${secret.arn}::NOSUCHSTAGE`] });
    note('version stage that does not exist', 'exit 78 naming the stage', r);
    expect(r.code).toBe(78);
    expect(errorLine(r)!.msg).toBe(`secret ${secret.arn}::NOSUCHSTAGE: not found with stage NOSUCHSTAGE (ResourceNotFoundException)`);
    expect(errorLine(r)!.hint).toBe('check the ARN or name, its region, and that the secret is not scheduled for deletion');
  });

  it('AccessDeniedException: 77, saying which role needs which action on which ARN', async () => {
    const {
      result: r,
      secret,
      calls,
    } = await gatewayThrough(() => ({ kind: 'error', status: 400, type: 'AccessDeniedException', message: 'User is not authorized' }));
    note('AccessDeniedException', 'exit 77, hint names role, action and ARN, no retry storm', r, { calls });
    expect(r.code).toBe(77);
    expect(errorLine(r)!.msg).toBe(`secret ${secret.arn}: access denied (AccessDeniedException)`);
    expect(errorLine(r)!.hint).toBe(
      `the task role (ECS) or instance role (App Runner) needs secretsmanager:GetSecretValue on ${secret.arn}, and kms:Decrypt on its KMS key if it uses a customer managed key`,
    );
    nothingStarted(r);
  });

  it('KMS decrypt denied (DecryptionFailure): 77, naming kms:Decrypt', async () => {
    const { result: r, calls } = await gatewayThrough(() => ({
      kind: 'error',
      status: 400,
      type: 'DecryptionFailure',
      message: 'Access to KMS is not allowed',
    }));
    note('KMS DecryptionFailure', 'exit 77, hint names kms:Decrypt', r, { calls });
    expect(r.code).toBe(77);
    expect(errorLine(r)!.msg).toMatch(
      /^secret arn:aws:secretsmanager:[^ ]+: Secrets Manager could not decrypt it with KMS \(DecryptionFailure\)$/,
    );
    expect(errorLine(r)!.hint).toBe('the task role needs kms:Decrypt on the key that encrypts this secret');
    nothingStarted(r);
  });

  it('throttled on every try: 69 after a bounded number of retries', async () => {
    const {
      result: r,
      calls,
      elapsedMs,
    } = await gatewayThrough(() => ({ kind: 'error', status: 400, type: 'ThrottlingException', message: 'Rate exceeded' }));
    note('400 ThrottlingException on every try', 'exit 69 after 4 attempts with backoff', r, { calls, elapsedMs });
    expect(r.code).toBe(69);
    expect(errorLine(r)!.msg).toMatch(
      /^secret arn:aws:secretsmanager:[^ ]+: Secrets Manager unavailable after retries \(ThrottlingException, HTTP 400\)$/,
    );
    expect(errorLine(r)!.hint).toBe(
      "the account's quota is used up: BatchGetSecretValue allows 100 requests per second per region and account (not raisable), GetSecretValue 10,000, shared by everything in the account; spread the starts: a lower deployment maximumPercent and a higher minimumHealthyPercent on the ECS service start fewer tasks at once",
    );
    expect(calls).toBe(4);
    nothingStarted(r);
  });

  it('throttled twice, then answered: the start succeeds', async () => {
    const {
      result: r,
      calls,
      elapsedMs,
    } = await gatewayThrough((_, i) => (i < 2 ? { kind: 'error', status: 400, type: 'ThrottlingException' } : forward));
    note('ThrottlingException twice, then answered', 'exit 0 after 3 calls', r, { calls, elapsedMs });
    expect(r.code).toBe(0);
    expect(calls).toBe(3);
  });

  for (const status of [500, 503]) {
    it(`HTTP ${status} on every try: 69`, async () => {
      const {
        result: r,
        calls,
        elapsedMs,
      } = await gatewayThrough(() => ({ kind: 'error', status, type: status === 503 ? 'ServiceUnavailable' : 'InternalServiceError' }));
      note(`HTTP ${status} on every try`, 'exit 69 after 4 attempts', r, { calls, elapsedMs });
      expect(r.code).toBe(69);
      expect(calls).toBe(4);
      nothingStarted(r);
    });
  }

  it('connection reset on every try: 69', async () => {
    const { result: r, calls, elapsedMs } = await gatewayThrough(() => ({ kind: 'reset' }));
    note('connection reset on every try', 'exit 69 after retries', r, { calls, elapsedMs });
    expect(r.code).toBe(69);
    nothingStarted(r);
  });

  it('an endpoint that stalls: 69 at the PIPECD_BOOTSTRAP_TIMEOUT deadline, not later', async () => {
    const { result: r, elapsedMs, calls } = await gatewayThrough(() => ({ kind: 'stall' }), { PIPECD_BOOTSTRAP_TIMEOUT: '2' });
    note('endpoint stalls, PIPECD_BOOTSTRAP_TIMEOUT=2', 'exit 69 at about 2 s', r, { calls, elapsedMs });
    expect(r.code).toBe(69);
    expect(errorLine(r)!.msg).toMatch(/^secret arn:aws:secretsmanager:[^ ]+: no answer from Secrets Manager within the 2 s deadline$/);
    expect(elapsedMs).toBeLessThan(10_000);
    nothingStarted(r);
  });

  it('no credentials at all: 77, naming the task role', async () => {
    const r = await start({
      args: ['gateway', '--envoy-config-secret', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf'],
      env: client.noCredentials,
    });
    note('no credentials to be had', 'exit 77, hint names the task role', r);
    expect(r.code).toBe(77);
    expect(errorLine(r)!.msg).toBe('secret arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf: no AWS credentials found');
    expect(errorLine(r)!.hint).toBe('give the ECS task a task role, or the App Runner service an instance role');
  });
});
