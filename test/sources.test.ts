import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorLine, fixture, makeSandbox, start } from './helpers/bundle.js';
import { createSecret } from './helpers/secrets.js';
import { b64, fileBytes, newEncryptionKey } from './helpers/values.js';

const envoy = fixture('envoy-ecs-demo.yaml');

describe('each input comes from exactly one source', () => {
  it('env X, raw', async () => {
    const r = await start({ args: ['gateway'], env: { ENVOY_CONFIG: envoy } });
    expect(r.code).toBe(0);
    expect(fileBytes(r.record, 'envoy-config.yaml').toString()).toBe(envoy);
  });

  it('env X holding base64 (auto), with line wrapping as `base64` prints it', async () => {
    const wrapped = b64(envoy).replace(/(.{76})/g, '$1\n');
    const r = await start({ args: ['gateway'], env: { ENVOY_CONFIG: wrapped } });
    expect(r.code).toBe(0);
    expect(fileBytes(r.record, 'envoy-config.yaml').toString()).toBe(envoy);
  });

  it('X_ENCODING=raw keeps a base64 value as text (and so a config that is not YAML fails)', async () => {
    const r = await start({ args: ['gateway'], env: { ENVOY_CONFIG: b64(envoy), ENVOY_CONFIG_ENCODING: 'raw' } });
    expect(r.code).toBe(65);
    expect(errorLine(r)!.msg).toBe('ENVOY_CONFIG (env ENVOY_CONFIG): (document) (line 1, column 1): must be a mapping');
  });

  it('X_FILE and --x-file', async () => {
    const sandbox = makeSandbox();
    const path = join(sandbox.root, 'envoy.yaml');
    writeFileSync(path, envoy);
    for (const how of [{ env: { ENVOY_CONFIG_FILE: path } }, { args: [`--envoy-config-file=${path}`] }]) {
      const r = await start({ sandbox, args: ['gateway', ...(how.args ?? [])], env: how.env ?? {} });
      expect(r.code).toBe(0);
      expect(fileBytes(r.record, 'envoy-config.yaml').toString()).toBe(envoy);
    }
  });

  it('X_SECRET and --x-secret', async () => {
    const secret = await createSecret('envoy', envoy);
    for (const how of [{ env: { ENVOY_CONFIG_SECRET: secret.arn } }, { args: ['--envoy-config-secret', secret.arn] }]) {
      const r = await start({ args: ['gateway', ...(how.args ?? [])], env: how.env ?? {} });
      expect(r.code).toBe(0);
      expect(fileBytes(r.record, 'envoy-config.yaml').toString()).toBe(envoy);
    }
  });

  it('two sources for one input is exit 65, naming both', async () => {
    const r = await start({ args: ['gateway', '--envoy-config-file=/x.yaml'], env: { ENVOY_CONFIG: envoy } });
    expect(r.code).toBe(65);
    expect(errorLine(r)!.msg).toBe('ENVOY_CONFIG: given by both env ENVOY_CONFIG and --envoy-config-file');
    expect(r.record).toBeUndefined();
  });

  it('a missing required input is exit 64, saying how to give it', async () => {
    const r = await start({ args: ['server'], env: { CONTROL_PLANE_CONFIG: fixture('control-plane-ecs-demo.yaml') } });
    expect(r.code).toBe(64);
    expect(errorLine(r)!.msg).toBe('ENCRYPTION_KEY is required for role server');
    expect(errorLine(r)!.hint).toBe(
      'set ENCRYPTION_KEY, ENCRYPTION_KEY_SECRET or ENCRYPTION_KEY_FILE (or --encryption-key-secret / --encryption-key-file)',
    );
  });

  it('ENCRYPTION_KEY is used byte-exact by default: the base64 text of `openssl rand 64 | base64` is the key', async () => {
    const key = newEncryptionKey();
    const r = await start({ args: ['server'], env: { CONTROL_PLANE_CONFIG: fixture('control-plane-ecs-demo.yaml'), ENCRYPTION_KEY: key } });
    expect(r.code).toBe(0);
    expect(fileBytes(r.record, 'encryption-key').toString('utf8')).toBe(key);
  });

  it('ENCRYPTION_KEY_ENCODING=base64 decodes the key to its bytes', async () => {
    const key = newEncryptionKey();
    const r = await start({
      args: ['server'],
      env: { CONTROL_PLANE_CONFIG: fixture('control-plane-ecs-demo.yaml'), ENCRYPTION_KEY: key, ENCRYPTION_KEY_ENCODING: 'base64' },
    });
    expect(r.code).toBe(0);
    expect(fileBytes(r.record, 'encryption-key').equals(Buffer.from(key, 'base64'))).toBe(true);
  });

  it('an input file that does not exist is exit 78, naming the file', async () => {
    const r = await start({ args: ['gateway', '--envoy-config-file=/nonexistent/envoy.yaml'] });
    expect(r.code).toBe(78);
    expect(errorLine(r)!.msg).toBe('ENVOY_CONFIG (file /nonexistent/envoy.yaml from --envoy-config-file): no such file');
  });

  it('an unknown log encoding is exit 64', async () => {
    const r = await start({ args: ['gateway', '--log-encoding=xml'], env: { ENVOY_CONFIG: envoy } });
    expect(r.code).toBe(64);
    expect(errorLine(r)!.msg).toBe('PIPECD_BOOTSTRAP_LOG_ENCODING (--log-encoding): must be json or humanize');
  });

  it('a flag of another role is a usage error', async () => {
    const r = await start({ args: ['gateway', '--piped-key-file=/k'], env: { ENVOY_CONFIG: envoy } });
    expect(r.code).toBe(64);
    expect(errorLine(r)!.msg).toBe('--piped-key-* is not an option of role gateway');
  });
});
