import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, launch, MODES } from './helpers/bundle.js';
import { startFaultProxy, type FaultProxy } from './helpers/fault-proxy.js';
import { createSecret, endpoint } from './helpers/secrets.js';
import { observe } from './helpers/reliability.js';

let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

describe('a stop request before the program runs', () => {
  describe.each(MODES)('$mode', ({ mode, node }) => {
    it(`${mode}: SIGTERM during the secret fetch exits promptly with 143 and starts nothing`, async () => {
      proxy = await startFaultProxy(endpoint(), () => ({ kind: 'stall' }));
      const secret = await createSecret('envoy', fixture('envoy-ecs-demo.yaml'));
      const { child, done, sandbox } = launch({ node, secretsEndpoint: proxy.url, args: ['gateway', '--envoy-config-secret', secret.arn] });
      const until = Date.now() + 20_000;
      while (proxy.calls.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      expect(proxy.calls.length).toBe(1);
      const sent = Date.now();
      child.kill('SIGTERM');
      const r = await done;
      const tookMs = Date.now() - sent;
      observe(
        'signals and exit codes',
        `${mode}: SIGTERM during the secret fetch`,
        'exit 143 promptly, nothing started',
        `exit ${r.code} after ${tookMs} ms; ${r.record ? 'program STARTED' : 'nothing started'}`,
      );
      expect(r.code).toBe(143);
      expect(tookMs).toBeLessThan(2_000);
      expect(r.logs.find((l) => l.signal === 'SIGTERM')).toMatchObject({
        level: 'warn',
        msg: 'stopped before the program started; nothing was started',
      });
      expect(r.record).toBeUndefined();
      expect(existsSync(sandbox.out)).toBe(false);
    });
  });
});
