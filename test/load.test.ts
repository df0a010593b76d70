import { afterAll, describe, expect, it } from 'vitest';
import { fixture, NODE22, start } from './helpers/bundle.js';
import { startFaultProxy, type FaultProxy } from './helpers/fault-proxy.js';
import { observe } from './helpers/reliability.js';
import { createSecret, endpoint } from './helpers/secrets.js';
import { newEncryptionKey } from './helpers/values.js';

const STARTS = 200;
const PARALLEL = 10;
let proxy: FaultProxy | undefined;
afterAll(async () => proxy?.close());

describe('load: many starts against one local endpoint (loopback only, bounded)', () => {
  it(`${STARTS} starts in batches of ${PARALLEL} all succeed, with one Secrets Manager call each`, { timeout: 300_000 }, async () => {
    proxy = await startFaultProxy(endpoint());
    const config = await createSecret('load-config', fixture('control-plane-ecs-demo.yaml'));
    const key = await createSecret('load-key', newEncryptionKey());
    const user = await createSecret('load-user', 'pipecd');
    const password = await createSecret('load-password', 'load-password-value');
    const env = {
      CONTROL_PLANE_CONFIG_SECRET: config.arn,
      ENCRYPTION_KEY_SECRET: key.arn,
      MYSQL_USERNAME_SECRET: user.arn,
      MYSQL_PASSWORD_SECRET: password.arn,
    };
    const codes: (number | null)[] = [];
    const began = Date.now();
    for (let batch = 0; batch < STARTS / PARALLEL; batch++) {
      const results = await Promise.all(
        Array.from({ length: PARALLEL }, () => start({ node: NODE22, secretsEndpoint: proxy!.url, args: ['server'], env })),
      );
      codes.push(...results.map((r) => r.code));
    }
    const seconds = (Date.now() - began) / 1000;
    const ok = codes.filter((c) => c === 0).length;
    const perStart = proxy.calls.length / STARTS;
    const batchCalls = proxy.calls.filter((c) => c.target === 'BatchGetSecretValue' && c.secretIds.length === 4).length;
    observe(
      'load',
      `${STARTS} server starts, 4 references each, ${PARALLEL} at a time`,
      `${STARTS} exit 0; 1 BatchGetSecretValue per start`,
      `${ok} exit 0; ${perStart} calls per start (${batchCalls} batch calls of 4 ids); ${seconds.toFixed(1)} s in all`,
    );
    expect(ok).toBe(STARTS);
    expect(proxy.calls.length).toBe(STARTS);
    expect(batchCalls).toBe(STARTS);
  });
});
