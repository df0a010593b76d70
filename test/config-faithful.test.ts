/**
 * Faithful to PipeCD, through the bundle as a process: configs that PipeCD starts with start (key
 * case, duplicate keys, a second document), and the rewrites change only their own bytes of the
 * file the program gets. The rules themselves are tested in-process (test/pure/config-reading,
 * rewrite, and the Go oracle in oracle.property).
 */
import { describe, expect, it } from 'vitest';
import { fixture, start, type StartResult } from './helpers/bundle.js';
import { newEncryptionKey, newPipedKey } from './helpers/values.js';

const written = (r: StartResult) => Buffer.from(r.record!.files[0]!.base64!, 'base64').toString('utf8');

const CONFIG = `apiVersion: "pipecd.dev/v1beta1"   # PipeCD matches keys case-insensitively
kind: ControlPlane
kind: ControlPlane
Spec:
  dataStore:
    type: MYSQL
    config: {url: 'sample:password@tcp(pipecd-mysql:3306)/quickstart', poolSize: 0755}
  filestore:
    type: S3
    config: {bucket: b, region: ap-northeast-1}
  insightCollector:
    deployment: {chunkMaxCount: 1e3}
---
# a second document: PipeCD reads only the first
`;

describe('configs are read as PipeCD reads them; rewrites change only their own bytes', () => {
  it('a config with dataStore, a duplicate key and a second document starts, written byte for byte', async () => {
    const r = await start({ args: ['server'], env: { CONTROL_PLANE_CONFIG: CONFIG, ENCRYPTION_KEY: newEncryptionKey() } });
    expect(r.code, JSON.stringify(r.logs.at(-1))).toBe(0);
    expect(written(r)).toBe(CONFIG);
  });

  it('DATASTORE_HOST with MYSQL_USERNAME/MYSQL_PASSWORD: the url, the database moved and the two file keys are the only changes', async () => {
    const r = await start({
      args: ['server'],
      env: {
        CONTROL_PLANE_CONFIG: CONFIG,
        ENCRYPTION_KEY: newEncryptionKey(),
        DATASTORE_HOST: 'db.internal',
        MYSQL_USERNAME: 'u',
        MYSQL_PASSWORD: 'p',
      },
    });
    expect(r.code, JSON.stringify(r.logs.at(-1))).toBe(0);
    const dir = r.sandbox.out;
    const out = written(r);
    expect(out.replace(/\/[^,}]*\/mysql-(username|password)/g, '$DIR/mysql-$1')).toBe(
      CONFIG.replace(
        `{url: 'sample:password@tcp(pipecd-mysql:3306)/quickstart', poolSize: 0755}`,
        `{url: 'db.internal:3306', poolSize: 0755, database: quickstart, usernameFile: $DIR/mysql-username, passwordFile: $DIR/mysql-password}`,
      ),
    );
    expect(out).toContain(dir);
  });

  it('PIPED_KEY: a pipedkeydata key (any case) is removed with its line, pipedKeyFile added, every other byte kept', async () => {
    const config = fixture('piped-full.yaml').replace('  pipedKeyFile: etc/piped/key\n', "  pipedkeydata: 'c2VjcmV0'   # inline key\n");
    const r = await start({ args: ['piped'], env: { PIPED_CONFIG: config, PIPED_KEY: newPipedKey() } });
    expect(r.code, JSON.stringify(r.logs.at(-1))).toBe(0);
    const out = written(r);
    const added = out.match(/\n {2}pipedKeyFile: (\S+)\n/)!;
    expect(out.replace(added[0], '\n')).toBe(config.replace("  pipedkeydata: 'c2VjcmV0'   # inline key\n", ''));
    expect(config.endsWith('\n') && out.endsWith(`pipedKeyFile: ${added[1]}\n`)).toBe(true);
  });

  it('an admin-only envoy bootstrap starts the gateway', async () => {
    const envoy = 'admin:\n  address: {socket_address: {address: 0.0.0.0, port_value: 9095}}\n';
    const r = await start({ args: ['gateway'], env: { ENVOY_CONFIG: envoy } });
    expect(r.code, JSON.stringify(r.logs.at(-1))).toBe(0);
    expect(written(r)).toBe(envoy);
  });
});
