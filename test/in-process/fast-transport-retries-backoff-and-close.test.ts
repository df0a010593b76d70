import { describe, expect, it } from 'vitest';
import { credentialSource } from '../../src/secrets/aws-credentials.js';
import { FastTransport } from '../../src/secrets/fast-transport.js';
import type { AwsRequest } from '../../src/secrets/transport.js';
import { callFailure, countingRequestsTo, scripted, silentTcp, type Reply } from '../helpers/scripted-http.js';

/**
 * The fast transport's retry policy on the wire: which failures are tried again (Node's network
 * codes too, counted as the requests this thread starts), the growing full-jitter pauses between
 * tries, a deadline that cuts a pause short and reports the last AWS failure, the connect timeout as
 * TimeoutError, and close() ending the kept-alive connection.
 */
type Env = Record<string, string>;
const KEYS: Env = { AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST', AWS_SECRET_ACCESS_KEY: 'test-secret-access-key' };
const envFor = (url: string): Env => ({ ...KEYS, AWS_ENDPOINT_URL_SECRETS_MANAGER: url, AWS_ENDPOINT_URL_SSM: url });
const transportFor = (url: string) => {
  const env = envFor(url);
  return new FastTransport(credentialSource(env)!, env);
};
const getSecret = (SecretId: string, retryThrottling = true): AwsRequest => ({
  service: 'secretsmanager',
  region: 'us-east-1',
  operation: 'GetSecretValue',
  input: { SecretId },
  retryThrottling,
});
const json = (status: number, body: unknown): Reply => ({
  status,
  headers: { 'content-type': 'application/x-amz-json-1.1' },
  body: JSON.stringify(body),
});
const idOf = (body: string) => (JSON.parse(body) as { SecretId: string }).SecretId;

async function sendOnce(url: string, request: AwsRequest, signal = AbortSignal.timeout(20_000)) {
  const transport = transportFor(url);
  try {
    return await transport.send(request, signal);
  } finally {
    transport.close();
  }
}

describe("Node's network failures are transient: 4 attempts", () => {
  it('nothing listening (ECONNREFUSED): 4 requests started, then the refusal', async () => {
    const server = await scripted([]);
    const { url, host } = server;
    await server.close();
    const { result, started } = await countingRequestsTo(host, () => callFailure(sendOnce(url, getSecret('x'))));
    expect(result).toMatchObject({ name: 'AwsCallError', type: 'Error', status: undefined, code: 'ECONNREFUSED' });
    expect(started).toBe(4);
  });

  it('a host name that does not resolve (ENOTFOUND, or EAI_AGAIN without a resolver): 4 requests started', async () => {
    const host = 'pipecd-bootstrap-test.invalid:9';
    const { result, started } = await countingRequestsTo(host, () => callFailure(sendOnce(`http://${host}`, getSecret('x'))));
    expect(result).toMatchObject({ name: 'AwsCallError', type: 'Error', status: undefined });
    expect(['ENOTFOUND', 'EAI_AGAIN']).toContain(result.code);
    expect(started).toBe(4);
  });
});

describe('the pauses between tries', () => {
  it('grow with each try: full jitter up to 100, 200 and 400 ms', async () => {
    // Eight calls at once, each failing four times: the pause before a fourth try is up to 400 ms,
    // so at least one of eight is above 50 ms unless the pauses do not grow (a chance of 0.125^8).
    const server = await scripted([json(503, { __type: 'ServiceUnavailable', message: 'down' })]);
    const transport = transportFor(server.url);
    try {
      const ids = Array.from({ length: 8 }, (_, i) => `s${i}`);
      const failures = await Promise.all(ids.map((id) => callFailure(transport.send(getSecret(id), AbortSignal.timeout(20_000)))));
      for (const f of failures) expect(f).toMatchObject({ type: 'ServiceUnavailable', status: 503, message: 'down' });
      const lastPauses = ids.map((id) => {
        const times = server.requests.filter((r) => idOf(r.body) === id).map((r) => r.at);
        expect(times).toHaveLength(4);
        return times[3]! - times[2]!;
      });
      expect(Math.max(...lastPauses)).toBeGreaterThan(50);
    } finally {
      transport.close();
      await server.close();
    }
  });

  it('the deadline cuts a pause short, and the failure reported is the last answer, not the abort', async () => {
    // Ten throttled calls, each with a deadline that passes 30 ms after its first answer, while it
    // waits out its pause (up to 500 ms when throttled).
    const controllers = Array.from({ length: 10 }, () => new AbortController());
    const abortedAt: number[] = [];
    const server = await scripted((request) => {
      const i = Number(idOf(request.body).slice(1));
      if (abortedAt[i] === undefined) {
        abortedAt[i] = Number.NaN;
        setTimeout(() => {
          abortedAt[i] = performance.now();
          controllers[i]!.abort();
        }, 30);
      }
      return json(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
    });
    const transport = transportFor(server.url);
    try {
      const outcomes = await Promise.all(
        controllers.map((c, i) =>
          callFailure(transport.send(getSecret(`s${i}`), c.signal)).then((f) => ({ ...f, after: performance.now() - abortedAt[i]! })),
        ),
      );
      // A call whose pause ended before its deadline is aborted in flight instead; most are in their pause.
      for (const o of outcomes) expect(['ThrottlingException', 'AbortError']).toContain(o.type);
      const throttled = outcomes.filter((o) => o.type === 'ThrottlingException');
      expect(throttled.length).toBeGreaterThan(0);
      for (const o of throttled) expect([o.status, o.code, o.message]).toEqual([400, undefined, 'Rate exceeded']);
      // Each ends as its deadline passes, not when its pause would have.
      expect(Math.max(...outcomes.map((o) => o.after))).toBeLessThan(250);
    } finally {
      transport.close();
      await server.close();
    }
  });
});

describe('answers and connections', () => {
  it.each([
    ['a JSON string', '"a string"'],
    ['a JSON number', '42'],
  ])('HTTP 200 with %s: Unknown, not retried', async (_what, body) => {
    const server = await scripted([{ status: 200, body }]);
    try {
      expect(await callFailure(sendOnce(server.url, getSecret('x')))).toEqual({
        name: 'AwsCallError',
        type: 'Unknown',
        status: 200,
        code: undefined,
        message: 'GetSecretValue answered with a body that is not a JSON object',
      });
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('the signed request carries exactly the JSON 1.1 and SigV4 headers, no payload checksum header', async () => {
    const server = await scripted([json(200, { SecretString: 'v' })]);
    try {
      await sendOnce(server.url, getSecret('x'));
      expect(Object.keys(server.requests[0]!.headers).sort()).toEqual(
        ['authorization', 'connection', 'content-length', 'content-type', 'host', 'user-agent', 'x-amz-date', 'x-amz-target'].sort(),
      );
      expect(server.requests[0]!.headers.authorization).toContain(
        'SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-target,',
      );
    } finally {
      await server.close();
    }
  });

  it('close() ends the kept-alive connection that the calls shared', async () => {
    const server = await scripted([json(200, { SecretString: 'v' })]);
    const transport = transportFor(server.url);
    try {
      await transport.send(getSecret('a'), AbortSignal.timeout(20_000));
      await transport.send(getSecret('b'), AbortSignal.timeout(20_000));
      expect(server.connections()).toEqual({ accepted: 1, open: 1 });
      transport.close();
      expect(await server.allClosed(3000)).toBe(true);
    } finally {
      transport.close();
      await server.close();
    }
  });

  it('an endpoint that never completes the TLS handshake: TimeoutError after 3 s (a transient type, not a Node code)', async () => {
    const server = await silentTcp();
    try {
      // The deadline passes after the first connect timeout; the call then reports that timeout, or
      // the abort of the try after it.
      const failure = await callFailure(sendOnce(server.url, getSecret('x'), AbortSignal.timeout(3400)));
      expect(failure.code).toBeUndefined();
      expect(failure.status).toBeUndefined();
      expect(['TimeoutError', 'AbortError']).toContain(failure.type);
      if (failure.type === 'TimeoutError') expect(failure.message).toBe(`no connection to ${server.host} within 3000 ms`);
    } finally {
      await server.close();
    }
  });
});
