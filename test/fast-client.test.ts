import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startContainerCredentialsEndpoint } from '../scripts/lib/container-credentials-endpoint.mjs';
import { errorLine, fixture, start, type StartResult } from './helpers/bundle.js';
import { startSigningMoto, type SigningMoto } from './helpers/signing-moto.js';
import { fileBytes } from './helpers/values.js';

/**
 * The fast client against a moto_server that checks signatures (botocore's SigV4 verifier and IAM
 * policies), with credentials from the environment and from a stand-in of the ECS container
 * credentials endpoint: our signatures pass, a wrong key is refused with exit 77.
 */
const envoy = fixture('envoy-ecs-demo.yaml');
const TOKEN = 'Bearer-stand-in-authorization-token-0123456789';
let moto: SigningMoto;
let credentials: { url: string; stop: () => void };

beforeAll(async () => {
  moto = await startSigningMoto({ 'envoy-config': envoy }, { '/pipecd/envoy-config': envoy });
  credentials = await startContainerCredentialsEndpoint({ token: TOKEN, ...moto.role });
});
afterAll(() => {
  credentials?.stop();
  moto?.stop();
});

/** A start of the gateway whose config is in the signature-checking moto, with only the given credential variables. */
const gateway = (env: Record<string, string>) =>
  start({
    secretsEndpoint: moto.endpoint,
    args: ['gateway', '--envoy-config-secret', moto.arns['envoy-config']!],
    env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', ...env },
  });

const resolved = (r: StartResult) => r.logs.find((l) => l.msg === 'resolved inputs');

function expectStarted(r: StartResult) {
  expect(r.code, r.stderr).toBe(0);
  expect(resolved(r)).toMatchObject({ client: 'fast', calls: 1 });
  expect(fileBytes(r.record, 'envoy-config.yaml').toString()).toBe(envoy);
}

describe('the fast client signs requests that AWS signature checking accepts', () => {
  it('environment keys of an IAM user (AKIA…)', async () => {
    expectStarted(await gateway({ AWS_ACCESS_KEY_ID: moto.user.accessKeyId, AWS_SECRET_ACCESS_KEY: moto.user.secretAccessKey }));
  });

  it('environment keys with a session token (an assumed role)', async () => {
    expectStarted(
      await gateway({
        AWS_ACCESS_KEY_ID: moto.role.accessKeyId,
        AWS_SECRET_ACCESS_KEY: moto.role.secretAccessKey,
        AWS_SESSION_TOKEN: moto.role.sessionToken,
      }),
    );
  });

  it('the container credentials endpoint with AWS_CONTAINER_AUTHORIZATION_TOKEN (ECS task role, App Runner instance role)', async () => {
    const r = await gateway({ AWS_CONTAINER_CREDENTIALS_FULL_URI: credentials.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: TOKEN });
    expectStarted(r);
    // The role's keys and the token reach neither a log line nor the program's environment.
    for (const value of [moto.role.secretAccessKey, moto.role.sessionToken]) {
      expect(r.stderr).not.toContain(value);
      expect(r.record!.environ.join('\n')).not.toContain(value);
    }
    expect(r.stderr).not.toContain(TOKEN);
  });

  it('the container credentials endpoint with AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (EKS Pod Identity), read as is', async () => {
    const tokenFile = join(mkdtempSync(join(tmpdir(), 'pipecd-bootstrap-test-')), 'token');
    writeFileSync(tokenFile, TOKEN);
    expectStarted(
      await gateway({ AWS_CONTAINER_CREDENTIALS_FULL_URI: credentials.url, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile }),
    );
  });
});

describe('the fast client reads SSM parameters with signature checking on', () => {
  it('a SecureString by ssm:NAME, decrypted, through the container credentials endpoint', async () => {
    const r = await start({
      secretsEndpoint: moto.endpoint,
      args: ['gateway', '--envoy-config-secret', 'ssm:/pipecd/envoy-config'],
      env: {
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_ENDPOINT_URL_SSM: moto.endpoint,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: credentials.url,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: TOKEN,
      },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(resolved(r)).toMatchObject({ client: 'fast', calls: 1 });
    expect(fileBytes(r.record, 'envoy-config.yaml').toString()).toBe(envoy);
  });
});

describe('refused credentials end the start with exit 77 and nothing started', () => {
  it('a wrong secret access key: the signature does not match (HTTP 403)', async () => {
    const r = await gateway({
      AWS_ACCESS_KEY_ID: moto.user.accessKeyId,
      AWS_SECRET_ACCESS_KEY: `${moto.user.secretAccessKey.slice(0, -1)}x`,
    });
    expect(r.code).toBe(77);
    expect(errorLine(r)!.msg).toBe(`secret ${moto.arns['envoy-config']}: access denied (HTTP 403)`);
    expect(r.record).toBeUndefined();
  });

  it('a wrong authorization token: the credentials endpoint refuses it', async () => {
    const r = await gateway({ AWS_CONTAINER_CREDENTIALS_FULL_URI: credentials.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'wrong-token' });
    expect(r.code).toBe(77);
    expect(errorLine(r)!.msg).toMatch(/no AWS credentials found/);
    expect(r.stderr).not.toContain('wrong-token');
    expect(r.record).toBeUndefined();
  });
});
