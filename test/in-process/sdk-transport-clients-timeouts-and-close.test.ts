import { describe, expect, it } from 'vitest';
import { createSdkTransport } from '../../src/secrets/sdk-transport.js';
import type { AwsRequest, AwsTransport } from '../../src/secrets/transport.js';
import { scripted, type Reply } from '../helpers/scripted-http.js';
import { withProcessEnv } from '../helpers/process-env.js';

/**
 * The SDK transport against scripted servers: a batch call retries what is transient but not
 * throttling, every client of one start shares one credential fetch, and close() ends the
 * connections.
 */
type Env = Record<string, string>;
const KEYS: Env = { AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST', AWS_SECRET_ACCESS_KEY: 'test-secret-access-key' };

const ok = (body: unknown): Reply => ({
  status: 200,
  headers: { 'content-type': 'application/x-amz-json-1.1' },
  body: JSON.stringify(body),
});
const getSecret = (SecretId: string, region = 'us-east-1'): AwsRequest => ({
  service: 'secretsmanager',
  region,
  operation: 'GetSecretValue',
  input: { SecretId },
  retryThrottling: true,
});
const batch = (ids: string[]): AwsRequest => ({
  service: 'secretsmanager',
  region: 'us-east-1',
  operation: 'BatchGetSecretValue',
  input: { SecretIdList: ids },
  retryThrottling: false,
});

async function using<T>(transport: AwsTransport, body: (t: AwsTransport) => Promise<T>): Promise<T> {
  try {
    return await body(transport);
  } finally {
    transport.close();
  }
}

describe('the SDK transport', () => {
  it('a batch call retries a transient failure (HTTP 503), only throttling it does not', async () => {
    const server = await scripted([
      { status: 503, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ __type: 'ServiceUnavailable' }) },
      ok({ SecretValues: [], Errors: [] }),
    ]);
    try {
      const out = await withProcessEnv({ ...KEYS, AWS_ENDPOINT_URL_SECRETS_MANAGER: server.url }, () =>
        using(createSdkTransport({ deadlineMs: 20_000 }), (t) => t.send(batch(['a', 'b']), AbortSignal.timeout(20_000))),
      );
      expect(out).toEqual({ SecretValues: [], Errors: [] });
      expect(server.requests.map((r) => r.headers['x-amz-target'])).toEqual([
        'secretsmanager.BatchGetSecretValue',
        'secretsmanager.BatchGetSecretValue',
      ]);
    } finally {
      await server.close();
    }
  });

  it('the clients of one start (batch, single calls, another region) fetch the container credentials once', async () => {
    const creds = await scripted([
      ok({ AccessKeyId: 'ASIAROLE', SecretAccessKey: 'role-secret', Token: 'role-token', Expiration: '2099-01-01T00:00:00Z' }),
    ]);
    const server = await scripted((request) =>
      String(request.headers['x-amz-target']).endsWith('BatchGetSecretValue')
        ? ok({ SecretValues: [], Errors: [] })
        : ok({ SecretString: 'v' }),
    );
    try {
      await withProcessEnv(
        {
          AWS_CONTAINER_CREDENTIALS_FULL_URI: `${creds.url}/creds`,
          AWS_CONTAINER_AUTHORIZATION_TOKEN: 'tok',
          AWS_ENDPOINT_URL_SECRETS_MANAGER: server.url,
        },
        () =>
          using(createSdkTransport({ deadlineMs: 20_000 }), async (t) => {
            await t.send(getSecret('a'), AbortSignal.timeout(20_000));
            await t.send(batch(['a', 'b']), AbortSignal.timeout(20_000));
            await t.send(getSecret('c', 'eu-west-1'), AbortSignal.timeout(20_000));
          }),
      );
      expect(creds.requests.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([['GET', '/creds', 'tok']]);
      expect(server.requests).toHaveLength(3);
      for (const r of server.requests) {
        expect(r.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=ASIAROLE\//);
        expect(r.headers['x-amz-security-token']).toBe('role-token');
      }
    } finally {
      await creds.close();
      await server.close();
    }
  });

  it('an endpoint that accepts and never answers: each attempt ends at the request timeout and is retried, and the SDK prints nothing', async () => {
    const server = await scripted(() => 'stall');
    const warned: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warned.push(args);
    try {
      const failure = await withProcessEnv({ ...KEYS, AWS_ENDPOINT_URL_SECRETS_MANAGER: server.url }, () =>
        using(createSdkTransport({ deadlineMs: 700 }), (t) =>
          t.send(getSecret('stalled'), AbortSignal.timeout(2_500)).catch((e: unknown) => e),
        ),
      );
      // Three attempts of 700 ms fit in the 2.5 s; without the timeout the first one waits for the abort.
      expect(server.requests.length).toBeGreaterThanOrEqual(2);
      expect((failure as Error).name).not.toBe('AbortError');
      expect(warned).toEqual([]);
    } finally {
      console.warn = warn;
      await server.close();
    }
  });

  it('close() ends the kept-alive connection', async () => {
    const server = await scripted([ok({ SecretString: 'v' })]);
    try {
      await withProcessEnv({ ...KEYS, AWS_ENDPOINT_URL_SECRETS_MANAGER: server.url }, async () => {
        const t = createSdkTransport({ deadlineMs: 20_000 });
        try {
          expect(await t.send(getSecret('a'), AbortSignal.timeout(20_000))).toEqual({ SecretString: 'v' });
          expect(server.connections().open).toBe(1);
        } finally {
          t.close();
        }
      });
      expect(await server.allClosed(3000)).toBe(true);
    } finally {
      await server.close();
    }
  });
});
