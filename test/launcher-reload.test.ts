import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorLine, fixture, makeSandbox, start, type StartResult } from './helpers/bundle.js';
import { createSecret, putParameter, uniqueName } from './helpers/secrets.js';
import { b64, newPipedKey } from './helpers/values.js';

/**
 * Rule: PipeCD's launcher re-reads its config source every minute and restarts piped when it
 * changed. When PIPED_CONFIG is a source the launcher can read as it is (a plain Secrets Manager
 * reference to base64 YAML in a SecretString, in its region; or a YAML file), the bootstrapper
 * validates it once and hands the launcher its own flags for that source, so the reload keeps
 * working; otherwise it writes the file once and says in a warning that the reload is lost.
 * PIPECD_BOOTSTRAP_LAUNCHER_CONFIG=file always writes the file; =source refuses to start without
 * the source.
 */
const PIPED = fixture('piped-full.yaml');

// Node's own warnings (the AWS SDK's about Node 20) are log lines too, with a `warning` field.
const warnings = (r: StartResult) => r.logs.filter((l) => l.level === 'warn' && !('warning' in l)).map((l) => String(l.msg));
const written = (r: StartResult) => existsSync(join(r.sandbox.out, 'piped-config.yaml'));

describe('the launcher keeps its config reload where it can', () => {
  it('a plain ARN to base64 YAML: validated once, then handed over as --config-from-aws-secret --aws-secret-id, no file written', async () => {
    const secret = await createSecret('reload-plain', b64(PIPED));
    const r = await start({ args: ['launcher', '--', '--launcher-admin-port=9086'], env: { PIPED_CONFIG_SECRET: secret.arn } });
    expect(r.code, JSON.stringify(errorLine(r))).toBe(0);
    expect(r.record!.args).toEqual(['launcher', '--config-from-aws-secret', `--aws-secret-id=${secret.arn}`, '--launcher-admin-port=9086']);
    expect(written(r)).toBe(false);
    expect(warnings(r)).toEqual([]);
  });

  it('a secret name works the same, in the SDK region the bootstrapper used', async () => {
    const secret = await createSecret('reload-name', b64(PIPED));
    const r = await start({ args: ['launcher', '--piped-config-secret', secret.name] });
    expect(r.code, JSON.stringify(errorLine(r))).toBe(0);
    expect(r.record!.args).toEqual(['launcher', '--config-from-aws-secret', `--aws-secret-id=${secret.name}`]);
  });

  it('an SSM parameter (SecureString of base64 YAML): handed over as --config-from-aws-ssm-parameter-store; a pinned version is not', async () => {
    const name = `/pipecd/${uniqueName('reload')}`;
    await putParameter({ name, value: b64(PIPED) });
    const r = await start({ args: ['launcher', '--piped-config-secret', `ssm:${name}`] });
    expect(r.code, JSON.stringify(errorLine(r))).toBe(0);
    expect(r.record!.args).toEqual(['launcher', '--config-from-aws-ssm-parameter-store', `--aws-ssm-parameter=${name}`]);
    expect(written(r)).toBe(false);
    const pinned = await start({ args: ['launcher', '--piped-config-secret', `ssm:${name}:1`] });
    expect(pinned.record!.args).toEqual(['launcher', `--config-file=${pinned.sandbox.out}/piped-config.yaml`]);
    expect(warnings(pinned)).toEqual([expect.stringMatching(/pins a version or label/)]);
  });

  it('a handed-over config is still validated: a broken one is exit 65 and nothing starts', async () => {
    const secret = await createSecret('reload-broken', b64(PIPED.replace('kind: Piped', 'kind: Pipe')));
    const r = await start({ args: ['launcher'], env: { PIPED_CONFIG_SECRET: secret.arn } });
    expect(r.code).toBe(65);
    expect(r.record).toBeUndefined();
  });

  it('a YAML file: handed over as --config-file= of that very file, which the launcher re-reads', async () => {
    const sandbox = makeSandbox();
    const path = join(sandbox.root, 'piped.yaml');
    writeFileSync(path, PIPED);
    const r = await start({ sandbox, args: ['launcher'], env: { PIPED_CONFIG_FILE: path } });
    expect(r.code, JSON.stringify(errorLine(r))).toBe(0);
    expect(r.record!.args).toEqual(['launcher', `--config-file=${path}`]);
    expect(written(r)).toBe(false);
  });

  const lost = [
    ['PIPED_KEY is given (the config is rewritten to point at the key file)', { key: true }, /spec.pipedKeyFile is set/],
    ['a JSON key', { jsonKey: true }, /JSON key/],
    ['raw YAML in the SecretString (the launcher base64-decodes it)', { raw: true }, /not base64/],
  ] as const;
  it.each(lost)('%s: the file is written once, and a warning says the reload is lost and why', async (_, how, reason) => {
    const value = 'raw' in how ? PIPED : b64(PIPED);
    const secret = await createSecret('reload-lost', 'jsonKey' in how ? JSON.stringify({ config: value }) : value);
    const env: Record<string, string> = { PIPED_CONFIG_SECRET: 'jsonKey' in how ? `${secret.arn}:config` : secret.arn };
    if ('key' in how) env.PIPED_KEY = newPipedKey();
    const r = await start({ args: ['launcher'], env });
    expect(r.code, JSON.stringify(errorLine(r))).toBe(0);
    expect(r.record!.args).toEqual(['launcher', `--config-file=${r.sandbox.out}/piped-config.yaml`]);
    expect(written(r)).toBe(true);
    expect(warnings(r)).toEqual([expect.stringMatching(/will not restart piped when it changes at its source/)]);
    expect(warnings(r)[0]).toMatch(reason);
  });

  it('a value from the environment (ECS secrets) never changes while the task runs: a file, and no warning', async () => {
    const r = await start({ args: ['launcher'], env: { PIPED_CONFIG: PIPED } });
    expect(r.record!.args).toEqual(['launcher', `--config-file=${r.sandbox.out}/piped-config.yaml`]);
    expect(warnings(r)).toEqual([]);
  });

  it('PIPECD_BOOTSTRAP_LAUNCHER_CONFIG=file writes the file even where the source could be handed over', async () => {
    const secret = await createSecret('reload-file', b64(PIPED));
    const r = await start({ args: ['launcher', '--launcher-config=file'], env: { PIPED_CONFIG_SECRET: secret.arn } });
    expect(r.record!.args).toEqual(['launcher', `--config-file=${r.sandbox.out}/piped-config.yaml`]);
    expect(warnings(r)).toEqual([]);
  });

  it('PIPECD_BOOTSTRAP_LAUNCHER_CONFIG=source refuses a source the launcher cannot read: exit 64, the reason, nothing written or started', async () => {
    const secret = await createSecret('reload-source', JSON.stringify({ config: b64(PIPED) }));
    const r = await start({
      args: ['launcher'],
      env: { PIPED_CONFIG_SECRET: `${secret.arn}:config`, PIPECD_BOOTSTRAP_LAUNCHER_CONFIG: 'source' },
    });
    expect(r.code).toBe(64);
    expect(String(errorLine(r)!.msg)).toMatch(/PIPECD_BOOTSTRAP_LAUNCHER_CONFIG=source.*JSON key/);
    expect(errorLine(r)!.hint).toMatch(/PIPECD_BOOTSTRAP_LAUNCHER_CONFIG=file/);
    expect(r.record).toBeUndefined();
    expect(existsSync(r.sandbox.out)).toBe(false);
  });

  it('--launcher-config is an option of the launcher only, and a bad mode is a usage error', async () => {
    const piped = await start({ args: ['piped', '--launcher-config=file'], env: { PIPED_CONFIG: PIPED } });
    expect(piped.code).toBe(64);
    const bad = await start({ args: ['launcher'], env: { PIPED_CONFIG: PIPED, PIPECD_BOOTSTRAP_LAUNCHER_CONFIG: 'reload' } });
    expect(bad.code).toBe(64);
    expect(String(errorLine(bad)!.msg)).toMatch(/must be auto, source or file/);
  });
});
