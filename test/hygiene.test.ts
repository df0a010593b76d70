import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, start, type StartResult } from './helpers/bundle.js';
import { createSecret } from './helpers/secrets.js';
import { observe } from './helpers/reliability.js';
import { b64, controlPlaneConfig, newEncryptionKey, newPipedKey } from './helpers/values.js';

/** The forms a leaked value could take: as is, its base64, and JSON-escaped. */
function forms(value: string): string[] {
  return [value, b64(value), JSON.stringify(value).slice(1, -1)].filter((f) => f.length >= 8);
}

/** Everything a start shows the world: stdout, stderr (every log line), and the program's argv and environment. */
function exposed(r: StartResult): string {
  return [r.stdout, r.stderr, ...(r.record ? [r.record.cmdline.join(' '), r.record.environ.join('\n'), r.record.args.join(' ')] : [])].join(
    '\n',
  );
}

function expectNoLeak(name: string, r: StartResult, secrets: readonly string[]) {
  const text = exposed(r);
  const searched = secrets.flatMap(forms);
  const found = searched.filter((form) => text.includes(form));
  observe(
    'secret hygiene',
    name,
    `0 of the value forms in stdout, stderr, argv, /proc environ`,
    `${found.length} of ${searched.length} forms found in ${text.length} bytes; exit ${r.code}`,
  );
  for (const form of found) expect.fail(`a form of a secret value appeared: ${form.slice(0, 4)}…`);
}

describe('no secret value, nor its base64 or JSON-escaped form, in any output, argv or environment', () => {
  it('server from env: config with a password, key, MySQL credentials', async () => {
    const key = newEncryptionKey();
    const config = controlPlaneConfig();
    const user = `user-${newPipedKey()}`;
    const pass = `pass-${newPipedKey()}`;
    const r = await start({
      args: ['server', '--log-encoding=humanize'],
      env: {
        CONTROL_PLANE_CONFIG: b64(config.text),
        ENCRYPTION_KEY: key,
        MYSQL_USERNAME: user,
        MYSQL_PASSWORD: pass,
        DATASTORE_HOST: 'db.internal',
      },
    });
    expect(r.code).toBe(0);
    expectNoLeak('server from env, humanize logs', r, [key, config.password, user, pass, b64(config.text)]);
    // The values reached the files, so the scan looked at a start that really carried them.
    expect(readFileSync(join(r.sandbox.out, 'mysql-password'), 'utf8')).toBe(pass);
  });

  it('piped from Secrets Manager, JSON keys, and render', async () => {
    const key = newPipedKey();
    const config = fixture('piped-full.yaml').replace('signatureValue: random-signature-string', `signatureValue: sig-${newPipedKey()}`);
    const secret = await createSecret('piped', JSON.stringify({ config: b64(config), key }));
    for (const args of [['piped'], ['render', 'piped']]) {
      const r = await start({ args: [...args, `--piped-config-secret=${secret.arn}:config`, `--piped-key-secret=${secret.arn}:key`] });
      expect(r.code).toBe(0);
      expectNoLeak(`${args.join(' ')} from Secrets Manager JSON keys`, r, [key, config, b64(config), config.match(/sig-[0-9a-f]+/)![0]]);
    }
  });

  it('failures: a key too short, a config that fails validation, a bad base64 key', async () => {
    const shortKey = `short-${newPipedKey().slice(0, 10)}`;
    const config = controlPlaneConfig();
    const badConfig = config.text.replace('kind: ControlPlane', 'kind: Nope');
    const runs = [
      await start({ args: ['server'], env: { CONTROL_PLANE_CONFIG: config.text, ENCRYPTION_KEY: shortKey } }),
      await start({ args: ['server'], env: { CONTROL_PLANE_CONFIG: badConfig, ENCRYPTION_KEY: newEncryptionKey() } }),
      await start({
        args: ['server'],
        env: { CONTROL_PLANE_CONFIG: config.text, ENCRYPTION_KEY: `${shortKey}!!`, ENCRYPTION_KEY_ENCODING: 'base64' },
      }),
    ];
    for (const [i, r] of runs.entries()) {
      expect(r.code).toBe(65);
      expectNoLeak(['failure: key too short', 'failure: config fails validation', 'failure: bad base64 key'][i]!, r, [
        shortKey,
        config.password,
        badConfig,
      ]);
      expect(readdirSync(r.sandbox.root)).not.toContain('out');
    }
  });
});
