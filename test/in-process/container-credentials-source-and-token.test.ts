import { describe, expect, it } from 'vitest';
import { credentialSource, loadCredentials } from '../../src/secrets/aws-credentials.js';
import { ConnectionPool } from '../../src/secrets/http-exchange.js';
import { AwsCallError } from '../../src/secrets/transport.js';
import { scripted } from '../helpers/scripted-http.js';

/**
 * The container credentials source: which AWS_CONTAINER_CREDENTIALS_FULL_URI hosts count as
 * loopback (the SDK's rule: 127.0.0.0/8 written as four decimal octets), a relative URI that makes
 * no URL, and a token that Node refuses to send as a header.
 */
describe('the loopback rule for a full URI', () => {
  it.each([
    ['the top of 127/8', 'http://127.0.0.255/c', true],
    ['a name of four labels starting with 127', 'http://127.0.0.example/c', false],
    ['a last label in exponent notation (a name, not an address)', 'http://127.0.0.1e2/c', false],
    ['a last label with trailing letters', 'http://127.0.0.12ab/c', false],
  ] as const)('%s: %s', (_what, uri, allowed) => {
    const source = credentialSource({ AWS_CONTAINER_CREDENTIALS_FULL_URI: uri });
    expect(source && source.kind === 'container' ? source.url.href : source).toBe(allowed ? new URL(uri).href : undefined);
  });

  it('a relative URI that makes no URL: no source, even with a usable full URI beside it', () => {
    expect(
      credentialSource({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: ':bad:[', AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1/f' }),
    ).toBeUndefined();
  });
});

describe('a token Node will not send', () => {
  it('a bare line feed in the token: no request made, refused at once with its reason (not retried until the deadline)', async () => {
    const server = await scripted([{ status: 200, body: '{}' }]);
    const pool = new ConnectionPool();
    try {
      const url = new URL(`${server.url}/creds`);
      const error = await loadCredentials(
        { kind: 'container', url },
        { AWS_CONTAINER_AUTHORIZATION_TOKEN: 'a\nb' },
        pool,
        AbortSignal.timeout(20_000),
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AwsCallError);
      const e = error as AwsCallError;
      expect([e.type, e.status, e.code, e.message]).toEqual([
        'CredentialsProviderError',
        undefined,
        undefined,
        'the container authorization token contains a character that no HTTP header can carry (a line break?)',
      ]);
      expect(server.requests).toHaveLength(0);
    } finally {
      pool.close();
      await server.close();
    }
  });
});
