import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { FORWARDED_SIGNALS } from '../../src/launch/stop-before-start.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { findLeaks } from '../helpers/leak-scan.js';
import { createSecret, endpoint, putSecretValue, REGION } from '../helpers/secrets.js';
import { controlPlaneConfig, newEncryptionKey, newPipedKey } from '../helpers/values.js';
import { capture, type Captured } from './capture.js';

/**
 * Issue 12, item 3, in-process: several kinds of reference in one start (`write`, which writes the
 * files and starts nothing), through both transports, against moto_server behind the fault proxy
 * that records every call. Every version of every secret holds a different value, so a pinned
 * reference answered by the batch, an ARN's region ignored, a partial ARN matched to the wrong
 * entry, or a batch error ignored shows up as a wrong byte or a wrong exit code.
 * (test/batch-mixed.test.ts runs the same through the bundle.)
 */
const root = mkdtempSync(join(tmpdir(), 'batch-mixed-'));
const OTHER_REGION = 'eu-west-1';
const partialArn = (arn: string) => arn.replace(/-[A-Za-z0-9]{6}$/, '');
const listeners = new Map(FORWARDED_SIGNALS.map((s) => [s, process.listeners(s)]));
const warningListeners = process.listeners('warning');
writeFileSync(join(root, 'aws-config'), '[profile p]\nregion = us-east-1\n');
writeFileSync(join(root, 'aws-credentials'), '[p]\naws_access_key_id = AKIDTESTTESTTEST\naws_secret_access_key = test\n');

const CLIENTS = {
  fast: { env: {}, agent: /^pipecd-bootstrap$/ },
  // Only the SDK reads profiles; it reads its settings from process.env, set for the start as a container would have it.
  sdk: {
    env: { AWS_PROFILE: 'p', AWS_CONFIG_FILE: join(root, 'aws-config'), AWS_SHARED_CREDENTIALS_FILE: join(root, 'aws-credentials') },
    agent: /aws-sdk-js/,
  },
} as const;

let proxy: FaultProxy;
let cap: Captured;
let n = 0;
let out: string;
beforeEach(async () => {
  proxy = await startFaultProxy(endpoint());
  cap = capture();
  out = join(root, `out-${++n}`);
});
afterEach(async () => {
  cap.restore();
  await proxy.close();
  for (const [signal, before] of listeners) for (const l of process.listeners(signal)) if (!before.includes(l)) process.off(signal, l);
  process.removeAllListeners('warning');
  for (const l of warningListeners) process.on('warning', l);
});

async function write(client: keyof typeof CLIENTS, references: Record<string, string>): Promise<number> {
  const env: Record<string, string> = {
    PATH: '/usr/bin:/bin',
    HOME: root,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret-access-key',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: proxy.url,
    AWS_EC2_METADATA_DISABLED: 'true',
    PIPECD_BOOTSTRAP_DIR: out,
    ...CLIENTS[client].env,
    ...references,
  };
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await run(['write', 'server'], env, () => import('../../src/secrets/sdk-transport.js'));
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}
const file = (name: string) => readFileSync(join(out, name), 'utf8');
const calls = () => proxy.calls.map((c) => `${c.target} ${c.region} ${c.secretIds.join(',')}`).sort();

describe.each(Object.keys(CLIENTS) as (keyof typeof CLIENTS)[])('several kinds of reference in one start (%s transport)', (client) => {
  it('current by JSON key and by partial ARN (one batch), pinned by stage, pinned by id in another region: every byte', async () => {
    const config = controlPlaneConfig();
    const key = newEncryptionKey();
    const bundle = await createSecret('ip-mixed-cp', JSON.stringify({ config: config.text, other: 'not this one' }));
    const keySecret = await createSecret('ip-mixed-key', `previous-${newEncryptionKey()}`);
    await putSecretValue(keySecret.arn, key);
    const previousUser = `previous-user-${newPipedKey()}`;
    const currentUser = `current-user-${newPipedKey()}`;
    const user = await createSecret('ip-mixed-user', previousUser);
    await putSecretValue(user.arn, currentUser);
    const firstPassword = `first-${newPipedKey()}`;
    const password = await createSecret('ip-mixed-password', firstPassword, OTHER_REGION);
    const currentPassword = `current-${newPipedKey()}`;
    await putSecretValue(password.arn, currentPassword, undefined, OTHER_REGION);

    const code = await write(client, {
      CONTROL_PLANE_CONFIG_SECRET: `${bundle.arn}:config`,
      ENCRYPTION_KEY_SECRET: partialArn(keySecret.arn),
      MYSQL_USERNAME_SECRET: `${user.arn}::AWSPREVIOUS`,
      MYSQL_PASSWORD_SECRET: `${password.arn}:::${password.versionId}`,
    });
    expect(code, cap.stderr.join('')).toBe(0);
    expect(calls()).toEqual(
      [
        `BatchGetSecretValue us-east-1 ${bundle.arn},${partialArn(keySecret.arn)}`,
        `GetSecretValue us-east-1 ${user.arn}`,
        `GetSecretValue ${OTHER_REGION} ${password.arn}`,
      ].sort(),
    );
    expect(proxy.calls.every((c) => CLIENTS[client].agent.test(c.userAgent))).toBe(true);
    expect(proxy.calls.find((c) => c.region === OTHER_REGION)!.input).toEqual({ SecretId: password.arn, VersionId: password.versionId });
    expect(proxy.calls.find((c) => c.target === 'GetSecretValue' && c.region === 'us-east-1')!.input).toEqual({
      SecretId: user.arn,
      VersionStage: 'AWSPREVIOUS',
    });
    expect(file('mysql-username')).toBe(previousUser);
    expect(file('mysql-password')).toBe(firstPassword);
    expect(file('encryption-key')).toBe(key);
    expect(file('control-plane-config.yaml')).toContain('database:');
    expect(cap.lines().find((l) => l.msg === 'resolved inputs')).toMatchObject({
      secrets: 4,
      client,
      calls: 3,
      byOperation: { BatchGetSecretValue: 1, GetSecretValue: 2 },
      batchDenied: false,
      batchThrottled: false,
    });
    const shown = [
      { where: 'stderr', text: cap.stderr.join('') },
      { where: 'stdout', text: cap.stdout },
    ];
    expect(findLeaks(shown, [key, previousUser, currentUser, firstPassword, currentPassword, config.password])).toEqual([]);
  });

  it('a missing secret in the batch ends the start with 78 naming it, although the others were found; nothing written', async () => {
    const config = controlPlaneConfig();
    const key = newEncryptionKey();
    const cp = await createSecret('ip-missing-cp', JSON.stringify({ config: config.text }));
    const k = await createSecret('ip-missing-key', key);
    const missing = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:never-created-AbCdEf';
    const code = await write(client, {
      CONTROL_PLANE_CONFIG_SECRET: `${cp.arn}:config`,
      ENCRYPTION_KEY_SECRET: k.arn,
      MYSQL_USERNAME_SECRET: missing,
      MYSQL_PASSWORD: 'pw',
    });
    expect(code).toBe(78);
    const error = cap.lines().at(-1)!;
    expect(error).toMatchObject({ level: 'error', exitCode: 78, msg: `secret ${missing}: not found (ResourceNotFoundException)` });
    expect(proxy.calls[0]).toMatchObject({ target: 'BatchGetSecretValue', secretIds: [cp.arn, k.arn, missing] });
    expect(() => readFileSync(join(out, 'encryption-key'))).toThrow();
    expect(cap.stdout).toBe('');
    expect(findLeaks([{ where: 'stderr', text: cap.stderr.join('') }], [key, config.password])).toEqual([]);
  });

  it('a refused batch (AccessDeniedException) falls back to single calls at once, and the log says so', async () => {
    proxy = await (async () => {
      await proxy.close();
      return startFaultProxy(endpoint(), (call) =>
        call.target === 'BatchGetSecretValue' ? { kind: 'error', status: 400, type: 'AccessDeniedException' } : { kind: 'forward' },
      );
    })();
    const key = newEncryptionKey();
    const user = `user-${newPipedKey()}`;
    const k = await createSecret('ip-denied-key', key);
    const u = await createSecret('ip-denied-user', user);
    const code = await write(client, {
      CONTROL_PLANE_CONFIG: controlPlaneConfig().text,
      ENCRYPTION_KEY_SECRET: k.arn,
      MYSQL_USERNAME_SECRET: u.name,
      MYSQL_PASSWORD: 'pw',
    });
    expect(code, cap.stderr.join('')).toBe(0);
    expect(calls()).toEqual(
      [
        `BatchGetSecretValue us-east-1 ${k.arn},${u.name}`,
        `GetSecretValue us-east-1 ${k.arn}`,
        `GetSecretValue us-east-1 ${u.name}`,
      ].sort(),
    );
    expect([file('encryption-key'), file('mysql-username')]).toEqual([key, user]);
    expect(cap.lines().find((l) => l.msg === 'resolved inputs')).toMatchObject({ batchDenied: true, batchThrottled: false, calls: 3 });
  });
});
