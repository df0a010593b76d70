import { afterEach, describe, expect, inject, it } from 'vitest';
import { snapshotCommand } from '../scripts/lib/snapshot-blob.mjs';
import { errorLine, fixture, NODE22, start, type StartOptions, type StartResult } from './helpers/bundle.js';
import { CLIENTS, startWith } from './helpers/clients.js';
import { forward, startFaultProxy, type Fault, type FaultProxy } from './helpers/fault-proxy.js';
import { observe } from './helpers/reliability.js';
import { createSecret, endpoint } from './helpers/secrets.js';
import { b64, newPipedKey } from './helpers/values.js';

/**
 * Issue 14: the account's BatchGetSecretValue quota (100 requests per second per region, not
 * raisable) is shared by every start and every other user of the batch call. A throttled batch
 * must not cost the start: it falls back at once to GetSecretValue (10,000 per second).
 */
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

const STARTS = 500;
const CONCURRENCY = 25;
const throttledBatch = (fault: Fault) => (call: { target: string }) => (call.target === 'BatchGetSecretValue' ? fault : forward);
const resolvedLine = (r: StartResult) => r.logs.find((l) => l.msg === 'resolved inputs');

async function pipedSecrets() {
  const config = await createSecret('fleet-config', b64(fixture('piped-full.yaml')));
  const key = await createSecret('fleet-key', newPipedKey());
  return ['piped', '--piped-config-secret', config.arn, '--piped-key-secret', key.arn];
}

/** Runs `count` starts with at most `concurrency` at a time. */
async function pool<T>(count: number, concurrency: number, run: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        results.push(await run());
      }
    }),
  );
  return results;
}

describe.each(CLIENTS)('a throttled BatchGetSecretValue falls back at once to GetSecretValue ($name client)', (client) => {
  const start = (options: StartOptions = {}) => startWith(client, options);
  it.each([
    { status: 400, type: 'ThrottlingException' },
    { status: 400, type: 'TooManyRequestsException' },
    { status: 429, type: 'SlowDown' },
  ])('$type (HTTP $status): no backoff on the batch, one GetSecretValue per secret, logged as batchThrottled', async ({ status, type }) => {
    proxy = await startFaultProxy(endpoint(), throttledBatch({ kind: 'error', status, type, message: 'Rate exceeded' }));
    const began = Date.now();
    const r = await start({ secretsEndpoint: proxy.url, args: await pipedSecrets() });
    const elapsedMs = Date.now() - began;
    observe(
      'secret service faults',
      `BatchGetSecretValue throttled (${type}, HTTP ${status}), ${client.name} client`,
      'exit 0; batch not retried; 2 GetSecretValue',
      `exit ${r.code}; ${proxy.calls.map((c) => c.target).join(', ')}; ${(elapsedMs / 1000).toFixed(1)} s`,
    );
    expect(r.code).toBe(0);
    expect(proxy.calls.map((c) => c.target).sort()).toEqual(['BatchGetSecretValue', 'GetSecretValue', 'GetSecretValue']);
    expect(resolvedLine(r)).toMatchObject({
      calls: 3,
      byOperation: { BatchGetSecretValue: 1, GetSecretValue: 2 },
      batchThrottled: true,
      batchDenied: false,
    });
  });

  it('a batch that answers costs no second round trip and logs batchThrottled: false', async () => {
    proxy = await startFaultProxy(endpoint());
    const r = await start({ secretsEndpoint: proxy.url, args: await pipedSecrets() });
    expect(r.code).toBe(0);
    expect(proxy.calls.map((c) => c.target)).toEqual(['BatchGetSecretValue']);
    expect(resolvedLine(r)).toMatchObject({ calls: 1, batchThrottled: false });
  });

  it('a 5xx on the batch is still retried (only throttling skips the backoff)', async () => {
    proxy = await startFaultProxy(endpoint(), (call, index) =>
      index === 0 ? { kind: 'error', status: 503, type: 'ServiceUnavailable' } : forward,
    );
    const r = await start({ secretsEndpoint: proxy.url, args: await pipedSecrets() });
    expect(r.code).toBe(0);
    expect(proxy.calls.map((c) => c.target)).toEqual(['BatchGetSecretValue', 'BatchGetSecretValue']);
  });

  it('GetSecretValue throttled too: 69 within the deadline, the hint naming the quotas and how to spread starts', async () => {
    proxy = await startFaultProxy(endpoint(), () => ({
      kind: 'error',
      status: 400,
      type: 'ThrottlingException',
      message: 'Rate exceeded',
    }));
    const began = Date.now();
    const r = await start({ secretsEndpoint: proxy.url, args: await pipedSecrets(), env: { PIPECD_BOOTSTRAP_TIMEOUT: '20' } });
    const elapsedMs = Date.now() - began;
    const byTarget = (t: string) => proxy!.calls.filter((c) => c.target === t).length;
    observe(
      'load',
      `every batch and every GetSecretValue throttled, PIPECD_BOOTSTRAP_TIMEOUT=20, ${client.name} client`,
      'exit 69 within 20 s; hint names the quotas, maximumPercent and minimumHealthyPercent',
      `exit ${r.code} after ${(elapsedMs / 1000).toFixed(1)} s; ${byTarget('BatchGetSecretValue')} batch call, ${byTarget('GetSecretValue')} GetSecretValue calls; hint: ${String(errorLine(r)?.hint)}`,
    );
    expect(r.code).toBe(69);
    expect(elapsedMs).toBeLessThan(20_000);
    const failed = /^secret (\S+): Secrets Manager unavailable after retries \(ThrottlingException, HTTP 400\)$/.exec(
      String(errorLine(r)!.msg),
    );
    expect(failed).not.toBeNull();
    expect(errorLine(r)!.hint).toBe(
      "the account's quota is used up: BatchGetSecretValue allows 100 requests per second per region and account (not raisable), GetSecretValue 10,000, shared by everything in the account; spread the starts: a lower deployment maximumPercent and a higher minimumHealthyPercent on the ECS service start fewer tasks at once",
    );
    // The batch once, not retried; the secret named in the error had its GetSecretValue tried 4 times with backoff.
    expect(byTarget('BatchGetSecretValue')).toBe(1);
    expect(proxy.calls.filter((c) => c.target === 'GetSecretValue' && c.secretIds[0] === failed![1]).length).toBe(4);
    expect(r.record).toBeUndefined();
  });
});

describe('load: a fleet whose every batch call is throttled (loopback only, bounded)', () => {
  it(
    `${STARTS} piped starts, ${CONCURRENCY} at a time, all succeed through the GetSecretValue fallback`,
    { timeout: 600_000 },
    async () => {
      proxy = await startFaultProxy(
        endpoint(),
        throttledBatch({ kind: 'error', status: 400, type: 'ThrottlingException', message: 'Rate exceeded' }),
      );
      const args = await pipedSecrets();
      const began = Date.now();
      // As the images start it (the startup snapshot), and exec'ing /bin/true: what is measured is the bootstrapper, not a stand-in program.
      const command = snapshotCommand(NODE22, inject('snapshotBlob'));
      const results = await pool(STARTS, CONCURRENCY, async () => {
        // Under nice: on a 2-core machine the load must not starve the test file that runs beside it.
        const r = await start({
          wrap: ['nice', '-n', '15'],
          command,
          secretsEndpoint: proxy!.url,
          args,
          env: { PIPECD_BINARY: '/bin/true' },
        });
        return { code: r.code, throttled: resolvedLine(r)?.batchThrottled };
      });
      const seconds = (Date.now() - began) / 1000;
      const ok = results.filter((r) => r.code === 0).length;
      const batchCalls = proxy.calls.filter((c) => c.target === 'BatchGetSecretValue').length;
      const singleCalls = proxy.calls.filter((c) => c.target === 'GetSecretValue').length;
      observe(
        'load',
        `${STARTS} piped starts, 2 references each, ${CONCURRENCY} at a time, every BatchGetSecretValue throttled`,
        `${STARTS} exit 0; ${STARTS} batch calls (not retried), ${STARTS * 2} GetSecretValue`,
        `${ok} exit 0; ${batchCalls} batch calls, ${singleCalls} GetSecretValue calls; ${results.filter((r) => r.throttled === true).length} logged batchThrottled; ${seconds.toFixed(1)} s in all (${(STARTS / seconds).toFixed(1)} starts/s)`,
      );
      expect(ok).toBe(STARTS);
      expect(batchCalls).toBe(STARTS);
      expect(singleCalls).toBe(STARTS * 2);
      expect(results.every((r) => r.throttled === true)).toBe(true);
    },
  );
});
