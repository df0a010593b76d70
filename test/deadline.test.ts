import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorLine, makeSandbox, start } from './helpers/bundle.js';

/**
 * PIPECD_BOOTSTRAP_TIMEOUT is the bootstrapper's own deadline, not only the abort signal it hands
 * the SDK: the SDK stops listening to that signal while it resolves credentials. A credential
 * helper (credential_process) that hangs is where only the bootstrapper's deadline ends the start.
 */
describe("the bootstrapper's own deadline", () => {
  it('a credential helper that hangs: exit 69 at the deadline, not when the helper gives up', async () => {
    const sandbox = makeSandbox();
    const config = join(sandbox.root, 'aws-config');
    writeFileSync(config, '[default]\ncredential_process = /bin/sleep 30\n');
    const began = Date.now();
    const r = await start({
      sandbox,
      args: ['gateway', '--envoy-config-secret', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:envoy-AbCdEf', '--timeout=2'],
      env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' },
    });
    const elapsedMs = Date.now() - began;
    expect({ code: r.code, msg: errorLine(r)?.msg, hint: errorLine(r)?.hint, started: r.record !== undefined }).toEqual({
      code: 69,
      msg: 'secret arn:aws:secretsmanager:us-east-1:123456789012:secret:envoy-AbCdEf: no answer from Secrets Manager within the 2 s deadline',
      hint: 'check the network path to Secrets Manager (NAT, VPC endpoint) or raise PIPECD_BOOTSTRAP_TIMEOUT',
      started: false,
    });
    // Generous for a loaded machine, and still far below the helper's 30 s.
    expect(elapsedMs).toBeGreaterThanOrEqual(2000);
    expect(elapsedMs).toBeLessThan(15_000);
  });
});
