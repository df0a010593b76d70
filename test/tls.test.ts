import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { snapshotCommand } from '../scripts/lib/snapshot-blob.mjs';
import { BUNDLE, errorLine, fixture, NODE20, NODE22, start } from './helpers/bundle.js';
import { selfSignedCertificate } from './helpers/certificate.js';
import { createSecret, endpoint } from './helpers/secrets.js';

/**
 * Secrets Manager is HTTPS in production; moto_server speaks HTTP. A TLS-terminating proxy on
 * 127.0.0.1 with a self-signed certificate (made by openssl) puts the SDK's real TLS path under test.
 */
let server: Server;
let url: string;
let certificate: string;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-'));
  const made = selfSignedCertificate(dir);
  certificate = made.certPath;
  const upstream = new URL(endpoint());
  server = createServer({ key: made.key, cert: made.cert }, (req, res) => {
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('an HTTPS Secrets Manager endpoint, as in production', () => {
  const runs = () => [
    { name: 'bundle, Node 22', command: [NODE22, BUNDLE] },
    { name: 'bundle, Node 20', command: [NODE20, BUNDLE] },
    { name: 'startup snapshot', command: snapshotCommand(NODE22, inject('snapshotBlob')) },
  ];

  it('fetches over TLS with the CA trusted through NODE_EXTRA_CA_CERTS (bundle on Node 22 and 20, snapshot)', async () => {
    const secret = await createSecret('tls-envoy', fixture('envoy-ecs-demo.yaml'));
    for (const run of runs()) {
      const r = await start({
        command: run.command,
        secretsEndpoint: url,
        args: ['gateway', '--envoy-config-secret', secret.arn],
        env: { NODE_EXTRA_CA_CERTS: certificate },
      });
      expect(r.code, `${run.name}: ${JSON.stringify(errorLine(r))}`).toBe(0);
    }
  });

  it('an untrusted certificate is exit 69 with a hint about NODE_EXTRA_CA_CERTS, and nothing starts', async () => {
    const secret = await createSecret('tls-envoy', fixture('envoy-ecs-demo.yaml'));
    const r = await start({ command: [NODE22, BUNDLE], secretsEndpoint: url, args: ['gateway', '--envoy-config-secret', secret.arn] });
    expect(r.code).toBe(69);
    expect(errorLine(r)!.msg).toBe(
      `secret ${secret.arn}: the Secrets Manager endpoint's TLS certificate is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)`,
    );
    expect(errorLine(r)!.hint).toBe(
      'behind a TLS-inspecting proxy, set NODE_EXTRA_CA_CERTS to its CA bundle; otherwise check AWS_ENDPOINT_URL_SECRETS_MANAGER',
    );
    expect(r.record).toBeUndefined();
  });
});
