import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { baseEnv, errorLine, fixture, type StartOptions, type StartResult } from './helpers/bundle.js';
import { CLIENTS, startWith } from './helpers/clients.js';
import { startFaultProxy, type FaultProxy } from './helpers/fault-proxy.js';
import { exposuresOf, findLeaks, leakForms } from './helpers/leak-scan.js';
import { createSecret, endpoint } from './helpers/secrets.js';
import { observe } from './helpers/reliability.js';
import { b64, controlPlaneConfig, newEncryptionKey, newPipedKey } from './helpers/values.js';

let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
});

/**
 * Scans everything the start showed, the requests it sent to AWS included, for every form of every
 * secret (test/helpers/leak-scan.ts), and records the row.
 */
function expectNoLeak(name: string, r: StartResult, secrets: readonly (string | Buffer)[]) {
  const requests = (proxy?.calls ?? []).map((c) => ({ where: 'a request to AWS', text: c.raw }));
  const exposures = [...exposuresOf(r), ...requests];
  const leaks = findLeaks(exposures, secrets);
  const searched = secrets.reduce((n, s) => n + leakForms(s).length, 0);
  const bytes = exposures.reduce((n, e) => n + e.text.length, 0);
  observe(
    'secret hygiene',
    name,
    `0 of the value forms in stdout, stderr, argv, /proc environ, requests to AWS`,
    `${leaks.length} of ${searched} forms found in ${bytes} bytes; exit ${r.code}`,
  );
  for (const leak of leaks) expect.fail(`secret #${leak.secret}: ${leak.what} appeared in ${leak.where}`);
}

describe.each(CLIENTS)(
  'no form of a secret value (whole, base64, JSON-escaped, any 8-byte slice) in any output, argv, environment or request ($name client)',
  (client) => {
    const start = (options: StartOptions = {}) => startWith(client, options);
    const named = (name: string) => `${name}, ${client.name} client`;
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
      expectNoLeak(named('server from env, humanize logs'), r, [key, config.password, user, pass, b64(config.text)]);
      // The values reached the files, so the scan looked at a start that really carried them.
      expect(readFileSync(join(r.sandbox.out, 'mysql-password'), 'utf8')).toBe(pass);
    });

    it('piped from Secrets Manager, JSON keys, and render', async () => {
      const key = newPipedKey();
      const config = fixture('piped-full.yaml').replace('signatureValue: random-signature-string', `signatureValue: sig-${newPipedKey()}`);
      const secret = await createSecret('piped', JSON.stringify({ config: b64(config), key }));
      for (const args of [['piped'], ['render', 'piped']]) {
        await proxy?.close();
        proxy = await startFaultProxy(endpoint());
        const r = await start({
          secretsEndpoint: proxy.url,
          args: [...args, `--piped-config-secret=${secret.arn}:config`, `--piped-key-secret=${secret.arn}:key`],
        });
        expect(r.code).toBe(0);
        expect(proxy.calls.length).toBeGreaterThan(0);
        expectNoLeak(named(`${args.join(' ')} from Secrets Manager JSON keys`), r, [key, b64(config), config.match(/sig-[0-9a-f]+/)![0]]);
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
        expectNoLeak(named(['failure: key too short', 'failure: config fails validation', 'failure: bad base64 key'][i]!), r, [
          shortKey,
          config.password,
        ]);
        expect(readdirSync(r.sandbox.root)).not.toContain('out');
      }
    });

    it('failures reading a JSON secret: a missing key, a value that is not a string; the JSON is never quoted', async () => {
      const password = `pw-${newPipedKey()}`;
      const other = `other-${newPipedKey()}`;
      const secret = await createSecret('json', JSON.stringify({ password, nested: { other }, count: 98765432109876 }));
      const cases = [
        ['failure: JSON key missing', `${secret.arn}:Password`, `the secret's JSON object has no key "Password"`],
        ['failure: JSON value not a string', `${secret.arn}:nested`, 'JSON key "nested" holds a object, not a string'],
      ] as const;
      for (const [name, ref, why] of cases) {
        const r = await start({ args: ['piped', `--piped-config-file=/nonexistent`, `--piped-key-secret=${ref}`] });
        expect(r.code).toBe(65);
        expect(errorLine(r)!.msg).toBe(`PIPED_KEY (secret ${ref} from --piped-key-secret): ${why}`);
        expectNoLeak(named(name), r, [password, other, '98765432109876']);
      }
    });

    it('failures: invalid YAML around a password, a role typed as a secret', async () => {
      const config = controlPlaneConfig();
      const broken = config.text.replace('kind: ControlPlane', 'kind: [ControlPlane');
      const yaml = await start({ args: ['server'], env: { CONTROL_PLANE_CONFIG: broken, ENCRYPTION_KEY: newEncryptionKey() } });
      expect(yaml.code).toBe(65);
      expectNoLeak(named('failure: invalid YAML holding a password'), yaml, [config.password]);
      const typed = `s3cr3t${newPipedKey()}`;
      const role = await start({ args: [typed] });
      expect(role.code).toBe(64);
      expect(errorLine(role)!.msg).toBe('unknown role: expected one of server, ops, gateway, piped, launcher');
      expectNoLeak(named('failure: a secret typed where the role goes'), role, [typed]);
    });

    it("the program's environment is the container's, exactly, without any variable meant for the bootstrapper", async () => {
      const key = newPipedKey();
      const secret = await createSecret('piped-key', key);
      const config = fixture('piped-full.yaml');
      const r = await start({
        args: ['piped'],
        env: {
          PIPED_CONFIG: config,
          PIPED_CONFIG_ENCODING: 'raw',
          PIPED_KEY_SECRET: secret.arn,
          PIPECD_BOOTSTRAP_TIMEOUT: '20',
          PIPECD_BOOTSTRAP_LOG_ENCODING: 'json',
          DATASTORE_HOST: 'ignored-by-piped',
          APP_SETTING: 'kept',
        },
      });
      expect(r.code).toBe(0);
      const container = baseEnv(r.sandbox, endpoint());
      const { PIPECD_BOOTSTRAP_DIR: _dir, ...kept } = { ...container, ...client.env };
      expect(r.record!.env).toEqual({ ...kept, APP_SETTING: 'kept' });
      expect(r.record!.environ.sort()).toEqual(
        Object.entries({ ...kept, APP_SETTING: 'kept' })
          .map(([k, v]) => `${k}=${v}`)
          .sort(),
      );
      expectNoLeak(named('program environment without bootstrap variables'), r, [key]);
    });
  },
);
