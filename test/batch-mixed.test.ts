import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errorLine, start, type StartResult } from './helpers/bundle.js';
import { startFaultProxy, type FaultProxy } from './helpers/fault-proxy.js';
import { createSecret, endpoint, putSecretValue } from './helpers/secrets.js';
import { controlPlaneConfig, newEncryptionKey, newPipedKey } from './helpers/values.js';

/**
 * Issue 12, item 3: the batch path with several kinds of reference in one start. Every version of
 * every secret holds a different value, so a pinned reference answered by the batch (which reads
 * only AWSCURRENT), an ARN's region ignored, a partial ARN matched to the wrong entry, or a batch
 * error ignored shows up as a wrong byte in a file or a wrong exit code.
 */
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

const OTHER_REGION = 'eu-west-1';
const FILES = ['control-plane-config.yaml', 'encryption-key', 'mysql-username', 'mysql-password'];
const partialArn = (arn: string) => arn.replace(/-[A-Za-z0-9]{6}$/, '');
const filesOf = (r: StartResult) => Object.fromEntries(FILES.map((n) => [n, readFileSync(join(r.sandbox.out, n)).toString('base64')]));
const calls = (p: FaultProxy) => p.calls.map((c) => `${c.target} ${c.region} ${c.secretIds.join(',')}`).sort();

/** The files a start from references wrote equal, byte for byte, those of the same values given as env vars in the same sandbox. */
async function expectSameFilesAsEnv(r: StartResult, values: Record<string, string>) {
  const fromReferences = filesOf(r);
  const control = await start({ sandbox: r.sandbox, args: ['server'], env: values });
  expect(control.code).toBe(0);
  expect(fromReferences).toEqual(filesOf(control));
}

describe('several kinds of reference in one start, every value checked byte for byte', () => {
  it('current by JSON key and by partial ARN (one batch), pinned by stage, pinned by id in another region', async () => {
    proxy = await startFaultProxy(endpoint());
    const config = controlPlaneConfig();
    const key = newEncryptionKey();
    const bundle = await createSecret('mixed-cp', JSON.stringify({ config: config.text, other: 'not this one' }));
    const keySecret = await createSecret('mixed-key', `previous-${newEncryptionKey()}`);
    await putSecretValue(keySecret.arn, key);
    const previousUser = `previous-user-${newPipedKey()}`;
    const user = await createSecret('mixed-user', previousUser);
    await putSecretValue(user.arn, `current-user-${newPipedKey()}`);
    const firstPassword = `first-${newPipedKey()}`;
    const password = await createSecret('mixed-password', firstPassword, OTHER_REGION);
    await putSecretValue(password.arn, `current-${newPipedKey()}`, undefined, OTHER_REGION);

    const r = await start({
      secretsEndpoint: proxy.url,
      args: ['server'],
      env: {
        CONTROL_PLANE_CONFIG_SECRET: `${bundle.arn}:config`,
        ENCRYPTION_KEY_SECRET: partialArn(keySecret.arn),
        MYSQL_USERNAME_SECRET: `${user.arn}::AWSPREVIOUS`,
        MYSQL_PASSWORD_SECRET: `${password.arn}:::${password.versionId}`,
      },
    });
    expect(r.code).toBe(0);
    expect(calls(proxy)).toEqual(
      [
        `BatchGetSecretValue us-east-1 ${bundle.arn},${partialArn(keySecret.arn)}`,
        `GetSecretValue us-east-1 ${user.arn}`,
        `GetSecretValue ${OTHER_REGION} ${password.arn}`,
      ].sort(),
    );
    expect(proxy.calls.find((c) => c.target === 'GetSecretValue' && c.region === OTHER_REGION)!.input).toEqual({
      SecretId: password.arn,
      VersionId: password.versionId,
    });
    expect(proxy.calls.find((c) => c.target === 'GetSecretValue' && c.region === 'us-east-1')!.input).toEqual({
      SecretId: user.arn,
      VersionStage: 'AWSPREVIOUS',
    });
    expect(readFileSync(join(r.sandbox.out, 'mysql-username'), 'utf8')).toBe(previousUser);
    expect(readFileSync(join(r.sandbox.out, 'mysql-password'), 'utf8')).toBe(firstPassword);
    expect(readFileSync(join(r.sandbox.out, 'encryption-key'), 'utf8')).toBe(key);
    await expectSameFilesAsEnv(r, {
      CONTROL_PLANE_CONFIG: config.text,
      ENCRYPTION_KEY: key,
      MYSQL_USERNAME: previousUser,
      MYSQL_PASSWORD: firstPassword,
    });
  });

  it('one batch per region: two regions, two BatchGetSecretValue calls, each signed for its region', async () => {
    proxy = await startFaultProxy(endpoint());
    const config = controlPlaneConfig();
    const key = newEncryptionKey();
    const values = {
      CONTROL_PLANE_CONFIG: config.text,
      ENCRYPTION_KEY: key,
      MYSQL_USERNAME: `user-${newPipedKey()}`,
      MYSQL_PASSWORD: `pw-${newPipedKey()}`,
    };
    const cp = await createSecret('region-cp', values.CONTROL_PLANE_CONFIG);
    const k = await createSecret('region-key', values.ENCRYPTION_KEY);
    const u = await createSecret('region-user', values.MYSQL_USERNAME, OTHER_REGION);
    const p = await createSecret('region-password', values.MYSQL_PASSWORD, OTHER_REGION);
    const r = await start({
      secretsEndpoint: proxy.url,
      args: ['server'],
      env: {
        CONTROL_PLANE_CONFIG_SECRET: cp.arn,
        ENCRYPTION_KEY_SECRET: partialArn(k.arn),
        MYSQL_USERNAME_SECRET: u.arn,
        MYSQL_PASSWORD_SECRET: partialArn(p.arn),
      },
    });
    expect(r.code).toBe(0);
    expect(calls(proxy)).toEqual([
      `BatchGetSecretValue ${OTHER_REGION} ${u.arn},${partialArn(p.arn)}`,
      `BatchGetSecretValue us-east-1 ${cp.arn},${partialArn(k.arn)}`,
    ]);
    await expectSameFilesAsEnv(r, values);
  });

  it('a missing secret in the batch ends the start with 78 naming it, although the others were found', async () => {
    proxy = await startFaultProxy(endpoint());
    const config = controlPlaneConfig();
    const cp = await createSecret('missing-cp', JSON.stringify({ config: config.text }));
    const k = await createSecret('missing-key', newEncryptionKey());
    const missing = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:never-created-AbCdEf';
    const r = await start({
      secretsEndpoint: proxy.url,
      args: ['server'],
      env: {
        CONTROL_PLANE_CONFIG_SECRET: `${cp.arn}:config`,
        ENCRYPTION_KEY_SECRET: k.arn,
        MYSQL_USERNAME_SECRET: missing,
        MYSQL_PASSWORD: 'pw',
      },
    });
    expect(r.code).toBe(78);
    expect(errorLine(r)).toMatchObject({ msg: `secret ${missing}: not found (ResourceNotFoundException)`, exitCode: 78 });
    expect(proxy.calls[0]).toMatchObject({ target: 'BatchGetSecretValue', secretIds: [`${cp.arn}`, k.arn, missing] });
    expect(r.record).toBeUndefined();
  });
});
