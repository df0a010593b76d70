import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { credentialSource, loadCredentials } from '../../src/secrets/aws-credentials.js';
import { configuredEndpoint, endpointOf, knownRegion } from '../../src/secrets/aws-endpoint.js';
import { FastTransport } from '../../src/secrets/fast-transport.js';
import { ConnectionPool, ExchangeError } from '../../src/secrets/http-exchange.js';
import { openTransport } from '../../src/secrets/open-transport.js';
import { createSdkTransport } from '../../src/secrets/sdk-transport.js';
import { AwsCallError, type AwsRequest, type AwsTransport } from '../../src/secrets/transport.js';
import { SIGNED_PARAMETER, SIGNED_SECRET } from '../helpers/pure-setup.js';
import { createSecret, endpoint, putParameter, REGION, uniqueName } from '../helpers/secrets.js';
import { selfSignedCertificate } from '../helpers/certificate.js';
import { withProcessEnv } from '../helpers/process-env.js';
import { callFailure } from '../helpers/scripted-http.js';

/**
 * Both AWS transports in-process, through their one interface (send/close): against moto_server
 * (the same wire output from both), against a moto_server that verifies SigV4 signatures with
 * botocore (ours pass, a wrong key does not), and against small HTTP servers of the test's own that
 * answer what AWS (or the container credentials endpoint) answers on failures moto cannot produce.
 */
type Env = Record<string, string>;
const KEYS: Env = { AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST', AWS_SECRET_ACCESS_KEY: 'test-secret-access-key' };
const root = mkdtempSync(join(tmpdir(), 'transports-'));
const tokenFile = (name: string, text: string) => {
  writeFileSync(join(root, name), text);
  return join(root, name);
};
const signal = () => AbortSignal.timeout(20_000);

const fast = (env: Env): AwsTransport => new FastTransport(credentialSource(env)!, env);

/** One request through a transport built for env; closed after. */
async function sendWith(kind: 'fast' | 'sdk', env: Env, request: AwsRequest, s = signal()): Promise<Record<string, unknown>> {
  const go = async () => {
    const transport = kind === 'fast' ? fast(env) : createSdkTransport({ deadlineMs: 20_000 });
    expect(transport.kind).toBe(kind);
    try {
      return await transport.send(request, s);
    } finally {
      transport.close();
    }
  };
  return kind === 'sdk' ? withProcessEnv(env, go) : go();
}

const getSecret = (SecretId: string, extra: Record<string, unknown> = {}, region = REGION): AwsRequest => ({
  service: 'secretsmanager',
  region,
  operation: 'GetSecretValue',
  input: { SecretId, ...extra },
  retryThrottling: true,
});

/** A scripted HTTP server: answers each request with the next of `answers` (the last repeats), records each request. */
interface Scripted {
  readonly url: string;
  readonly requests: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  close(): Promise<void>;
}
type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'reset' | 'stall';
async function scripted(answers: Reply[], tls?: { key: Buffer; cert: Buffer }): Promise<Scripted> {
  const requests: Scripted['requests'] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const reply = answers[Math.min(requests.length - 1, answers.length - 1)]!;
      if (reply === 'reset') return void req.socket.destroy();
      if (reply === 'stall') return;
      res.writeHead(reply.status, reply.headers ?? {}).end(reply.body ?? '');
    });
  };
  const server: Server = tls ? createHttpsServer(tls, handler) : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

describe('both transports against moto_server: the same wire output', () => {
  let secret: { name: string; arn: string; versionId: string };
  let binary: { name: string; arn: string };
  const bytes = Buffer.from([0, 0xff, 0x10, 0x80, 0x0a]);
  let parameter: string;
  const env = (): Env => ({ ...KEYS, AWS_REGION: REGION, AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint(), AWS_ENDPOINT_URL_SSM: endpoint() });
  beforeAll(async () => {
    secret = await createSecret('transport-string', 'the string value');
    binary = await createSecret('transport-binary', bytes);
    parameter = uniqueName('/transport/param');
    await putParameter({ name: parameter, value: 'the parameter value' });
  });

  it.each([
    [
      'GetSecretValue by name',
      () => getSecret(secret.name),
      (o: Record<string, unknown>) =>
        expect(o).toMatchObject({
          SecretString: 'the string value',
          ARN: secret.arn,
          Name: secret.name,
          VersionId: secret.versionId,
          VersionStages: ['AWSCURRENT'],
        }),
    ],
    [
      'GetSecretValue pinned by stage and id',
      () => getSecret(secret.arn, { VersionStage: 'AWSCURRENT', VersionId: secret.versionId }),
      (o: Record<string, unknown>) => expect(o).toMatchObject({ SecretString: 'the string value', VersionId: secret.versionId }),
    ],
    [
      'GetSecretValue of a binary secret (base64 on the wire)',
      () => getSecret(binary.arn),
      (o: Record<string, unknown>) => expect(o.SecretBinary).toBe(bytes.toString('base64')),
    ],
    [
      'BatchGetSecretValue',
      (): AwsRequest => ({
        service: 'secretsmanager',
        region: REGION,
        operation: 'BatchGetSecretValue',
        input: { SecretIdList: [secret.name, binary.arn] },
        retryThrottling: false,
      }),
      (o: Record<string, unknown>) => {
        const values = o.SecretValues as Record<string, unknown>[];
        expect(values.map((v) => v.Name).sort()).toEqual([secret.name, binary.name].sort());
        expect(o.Errors).toEqual([]);
      },
    ],
    [
      'GetParameters with decryption',
      (): AwsRequest => ({
        service: 'ssm',
        region: REGION,
        operation: 'GetParameters',
        input: { Names: [parameter, '/no/such'], WithDecryption: true },
        retryThrottling: true,
      }),
      (o: Record<string, unknown>) => {
        expect((o.Parameters as Record<string, unknown>[]).map((p) => [p.Name, p.Value, p.Type])).toEqual([
          [parameter, 'the parameter value', 'SecureString'],
        ]);
        expect(o.InvalidParameters).toEqual(['/no/such']);
      },
    ],
  ] as const)('%s', async (_what, request, check) => {
    const viaFast = await sendWith('fast', env(), request());
    const viaSdk = await sendWith('sdk', env(), request());
    check(viaFast);
    // The SDK drops the nulls of an answer (BatchGetSecretValue's NextToken); nothing else differs.
    expect(viaSdk).toEqual(JSON.parse(JSON.stringify(viaFast, (_k, v: unknown) => (v === null ? undefined : v))));
  });

  it('a secret that does not exist: ResourceNotFoundException, the same from both', async () => {
    const viaFast = await callFailure(sendWith('fast', env(), getSecret('no-such-secret-here')));
    expect(viaFast).toMatchObject({ name: 'AwsCallError', type: 'ResourceNotFoundException', code: undefined });
    expect(viaFast.message).toMatch(/can't find the specified secret/i);
    expect(await callFailure(sendWith('sdk', env(), getSecret('no-such-secret-here')))).toEqual(viaFast);
  });

  it('openTransport: the fast transport for keys in the environment, the SDK (loaded then) for a profile, with the reason', async () => {
    let loads = 0;
    const load = async () => (loads++, import('../../src/secrets/sdk-transport.js'));
    const opened = await openTransport({ ...env(), HOME: root }, [REGION], 5000, load);
    expect([opened.transport.kind, opened.sdkReason, loads]).toEqual(['fast', undefined, 0]);
    opened.transport.close();
    const sdk = await openTransport({ ...env(), HOME: root, AWS_PROFILE: 'x' }, [REGION], 5000, load);
    expect([sdk.transport.kind, sdk.sdkReason, loads]).toEqual(['sdk', 'a profile (AWS_PROFILE)', 1]);
    sdk.transport.close();
  });
});

describe('the fast transport signs as AWS checks signatures (moto_server with botocore verification)', () => {
  const moto = inject('signingMoto');
  const env = (keys: Env): Env => ({
    ...keys,
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint,
    AWS_ENDPOINT_URL_SSM: moto.endpoint,
  });
  const user = { AWS_ACCESS_KEY_ID: moto.user.accessKeyId, AWS_SECRET_ACCESS_KEY: moto.user.secretAccessKey };

  it('with an IAM user key: GetSecretValue, BatchGetSecretValue and GetParameters pass', async () => {
    expect((await sendWith('fast', env(user), getSecret(SIGNED_SECRET.name))).SecretString).toBe(SIGNED_SECRET.value);
    const batch = await sendWith('fast', env(user), {
      service: 'secretsmanager',
      region: REGION,
      operation: 'BatchGetSecretValue',
      input: { SecretIdList: [moto.arns[SIGNED_SECRET.name]] },
      retryThrottling: false,
    });
    expect((batch.SecretValues as { SecretString: string }[])[0]!.SecretString).toBe(SIGNED_SECRET.value);
    const params = await sendWith('fast', env(user), {
      service: 'ssm',
      region: REGION,
      operation: 'GetParameters',
      input: { Names: [SIGNED_PARAMETER.name], WithDecryption: true },
      retryThrottling: true,
    });
    expect((params.Parameters as { Value: string }[])[0]!.Value).toBe(SIGNED_PARAMETER.value);
  });

  it('with the session token of an assumed role, and with the role from a container credentials endpoint', async () => {
    const role = {
      AWS_ACCESS_KEY_ID: moto.role.accessKeyId,
      AWS_SECRET_ACCESS_KEY: moto.role.secretAccessKey,
      AWS_SESSION_TOKEN: moto.role.sessionToken,
    };
    expect((await sendWith('fast', env(role), getSecret(SIGNED_SECRET.name))).SecretString).toBe(SIGNED_SECRET.value);
    const creds = await scripted([
      {
        status: 200,
        body: JSON.stringify({
          AccessKeyId: moto.role.accessKeyId,
          SecretAccessKey: moto.role.secretAccessKey,
          Token: moto.role.sessionToken,
          Expiration: '2099-01-01T00:00:00Z',
        }),
      },
    ]);
    try {
      const viaEndpoint = env({
        AWS_CONTAINER_CREDENTIALS_FULL_URI: `${creds.url}/v2/credentials/x`,
        AWS_CONTAINER_AUTHORIZATION_TOKEN: 'tok',
      });
      const transport = fast(viaEndpoint);
      try {
        // Two calls, one credentials request: the credentials of a start are fetched once.
        expect((await transport.send(getSecret(SIGNED_SECRET.name), signal())).SecretString).toBe(SIGNED_SECRET.value);
        expect((await transport.send(getSecret(SIGNED_SECRET.name), signal())).SecretString).toBe(SIGNED_SECRET.value);
      } finally {
        transport.close();
      }
      expect(creds.requests.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([['GET', '/v2/credentials/x', 'tok']]);
    } finally {
      await creds.close();
    }
  });

  it('a wrong secret key is refused by the signature check (HTTP 403)', async () => {
    const failure = await callFailure(sendWith('fast', env({ ...user, AWS_SECRET_ACCESS_KEY: 'wrong' }), getSecret(SIGNED_SECRET.name)));
    // moto answers it in XML, which names no error type for the JSON protocol; aws-errors maps a bare 403 to access denied.
    expect([failure.type, failure.status]).toEqual(['Unknown', 403]);
  });
});

describe('the fast transport on the wire (a scripted server)', () => {
  const env = (url: string, extra: Env = {}): Env => ({
    ...KEYS,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: url,
    AWS_ENDPOINT_URL_SSM: url,
    ...extra,
  });
  const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

  it('the request: POST /, JSON 1.1 headers, the target, a SigV4 authorization for the region and service, the exact body', async () => {
    const server = await scripted([json(200, { SecretString: 'v' })]);
    try {
      const out = await sendWith(
        'fast',
        env(server.url, { AWS_SESSION_TOKEN: 'the-session-token' }),
        getSecret('a/b c', { VersionStage: 'S' }, 'eu-west-3'),
      );
      expect(out).toEqual({ SecretString: 'v' });
      const [req] = server.requests;
      expect(req!.method).toBe('POST');
      expect(req!.url).toBe('/');
      expect(req!.body).toBe('{"SecretId":"a/b c","VersionStage":"S"}');
      expect(req!.headers).toMatchObject({
        'content-type': 'application/x-amz-json-1.1',
        'content-length': String(Buffer.byteLength(req!.body)),
        'x-amz-target': 'secretsmanager.GetSecretValue',
        'user-agent': 'pipecd-bootstrap',
        'x-amz-security-token': 'the-session-token',
        host: server.url.slice('http://'.length),
      });
      expect(req!.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDTESTTESTTEST\/\d{8}\/eu-west-3\/secretsmanager\/aws4_request, SignedHeaders=[a-z0-9;-]*content-type;host;[a-z0-9;-]*x-amz-target, Signature=[0-9a-f]{64}$/,
      );
      expect(req!.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    } finally {
      await server.close();
    }
  });

  it('SSM: the AmazonSSM target and the ssm signing name', async () => {
    const server = await scripted([json(200, { Parameters: [] })]);
    try {
      await sendWith('fast', env(server.url), {
        service: 'ssm',
        region: 'us-west-2',
        operation: 'GetParameters',
        input: { Names: ['/a'], WithDecryption: true },
        retryThrottling: true,
      });
      expect(server.requests[0]!.headers['x-amz-target']).toBe('AmazonSSM.GetParameters');
      expect(server.requests[0]!.headers.authorization).toMatch(/\/us-west-2\/ssm\/aws4_request/);
    } finally {
      await server.close();
    }
  });

  it.each([
    [
      '__type with a namespace',
      json(400, { __type: 'com.amazonaws.secretsmanager#ResourceNotFoundException', message: 'm1' }),
      'ResourceNotFoundException',
      'm1',
    ],
    [
      '__type with a suffix after a colon',
      json(400, { __type: 'AccessDeniedException:http://internal', Message: 'm2' }),
      'AccessDeniedException',
      'm2',
    ],
    ['a code field (any case)', json(400, { Code: 'ValidationException,extra', message: 'm3' }), 'ValidationException', 'm3'],
    [
      'only the x-amzn-errortype header',
      json(403, {}, { 'x-amzn-errortype': 'UnrecognizedClientException:http://x' }),
      'UnrecognizedClientException',
      'UnknownError',
    ],
    ['nothing that names it', json(400, 'not json at all'), 'Unknown', 'UnknownError'],
    ['a JSON array body', json(400, '[1]', { 'x-amzn-errortype': 'FromHeader' }), 'FromHeader', 'UnknownError'],
    ['a null __type and a code', json(400, { __type: null, code: 'C' }), 'C', 'UnknownError'],
    ['a null code only', json(400, { code: null }), 'Unknown', 'UnknownError'],
  ] as const)('an error answer with %s: the SDK rule names it', async (_what, reply, type, message) => {
    const server = await scripted([reply]);
    try {
      const failure = await callFailure(sendWith('fast', env(server.url), getSecret('x')));
      expect(failure).toEqual({ name: 'AwsCallError', type, status: (reply as { status: number }).status, code: undefined, message });
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it.each([
    ['a body that is not JSON', 'nope'],
    ['a JSON array', '[]'],
    ['JSON null', 'null'],
  ])('HTTP 200 with %s: Unknown, not retried', async (_what, body) => {
    const server = await scripted([{ status: 200, body }]);
    try {
      expect(await callFailure(sendWith('fast', env(server.url), getSecret('x')))).toEqual({
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

  it.each([
    ['HTTP 500', json(500, { __type: 'InternalServiceError' })],
    ['HTTP 502', json(502, '')],
    ['HTTP 503', json(503, '')],
    ['HTTP 504', json(504, '')],
    ['RequestTimeout', json(400, { __type: 'RequestTimeout' })],
    ['RequestTimeoutException', json(400, { __type: 'RequestTimeoutException' })],
    ['TimeoutError', json(400, { __type: 'TimeoutError' })],
    ['a throttled single call', json(400, { __type: 'ThrottlingException' })],
  ] as const)('%s is transient: retried, and the answer after it taken', async (_what, reply) => {
    const server = await scripted([reply, json(200, { SecretString: 'at last' })]);
    try {
      expect(await sendWith('fast', env(server.url), getSecret('x'))).toEqual({ SecretString: 'at last' });
      expect(server.requests).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it('a transient failure that lasts: 4 attempts, then the last failure', async () => {
    const server = await scripted([json(503, { __type: 'ServiceUnavailable', message: 'down' })]);
    try {
      expect(await callFailure(sendWith('fast', env(server.url), getSecret('x')))).toMatchObject({
        type: 'ServiceUnavailable',
        status: 503,
        message: 'down',
      });
      expect(server.requests).toHaveLength(4);
    } finally {
      await server.close();
    }
  });

  it.each([
    ['a throttled batch (it falls back to single calls instead)', json(400, { __type: 'ThrottlingException' }), false],
    ['HTTP 501', json(501, { __type: 'NotImplemented' }), true],
    ['HTTP 499', json(499, { __type: 'Whatever' }), true],
    ['access denied', json(400, { __type: 'AccessDeniedException' }), true],
  ] as const)('%s: one attempt only', async (_what, reply, retryThrottling) => {
    const server = await scripted([reply, json(200, {})]);
    try {
      await callFailure(sendWith('fast', env(server.url), { ...getSecret('x'), retryThrottling }));
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('a reset connection is retried (ECONNRESET), as the SDK does', async () => {
    const server = await scripted(['reset', 'reset', json(200, { SecretString: 'after resets' })]);
    try {
      expect(await sendWith('fast', env(server.url), getSecret('x'))).toEqual({ SecretString: 'after resets' });
      expect(server.requests).toHaveLength(3);
    } finally {
      await server.close();
    }
  });

  it('nothing listening: Error with ECONNREFUSED after 4 attempts', async () => {
    const server = await scripted([json(200, {})]);
    const url = server.url;
    await server.close();
    const failure = await callFailure(sendWith('fast', env(url), getSecret('x')));
    expect(failure).toMatchObject({ type: 'Error', status: undefined, code: 'ECONNREFUSED' });
  });

  it('the start deadline aborts a call in flight: AbortError', async () => {
    const server = await scripted(['stall']);
    try {
      const started = Date.now();
      const failure = await callFailure(sendWith('fast', env(server.url), getSecret('x'), AbortSignal.timeout(300)));
      expect(failure).toMatchObject({ type: 'AbortError', code: undefined });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await server.close();
    }
  });

  it('an endpoint with a certificate Node does not trust: the certificate code, not retried', async () => {
    const server = await scripted([json(200, {})], selfSignedCertificate(root));
    try {
      expect(server.url.startsWith('https://')).toBe(true);
      const failure = await callFailure(sendWith('fast', env(server.url), getSecret('x')));
      expect(failure).toMatchObject({ type: 'Error', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    } finally {
      await server.close();
    }
  });
});

describe('the SDK transport on the wire: failures normalised as the fast transport normalises them', () => {
  const env = (url: string): Env => ({ ...KEYS, AWS_REGION: REGION, AWS_ENDPOINT_URL_SECRETS_MANAGER: url });
  it('a service error: its type, status and message', async () => {
    const server = await scripted([
      {
        status: 400,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'AccessDeniedException' },
        body: JSON.stringify({ __type: 'AccessDeniedException', message: 'no' }),
      },
    ]);
    try {
      expect(await callFailure(sendWith('sdk', env(server.url), getSecret('x')))).toEqual({
        name: 'AwsCallError',
        type: 'AccessDeniedException',
        status: 400,
        code: undefined,
        message: 'no',
      });
    } finally {
      await server.close();
    }
  });

  it('a throttled batch is not retried (the caller falls back), a throttled single call is', async () => {
    const throttled: Reply = {
      status: 400,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: JSON.stringify({ __type: 'ThrottlingException', message: 'slow down' }),
    };
    const server = await scripted([
      throttled,
      throttled,
      { status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: '{"SecretString":"s"}' },
    ]);
    try {
      const failure = await callFailure(sendWith('sdk', env(server.url), { ...getSecret('x'), retryThrottling: false }));
      expect(failure).toMatchObject({ type: 'ThrottlingException', status: 400 });
      expect(server.requests).toHaveLength(1);
      expect(await sendWith('sdk', env(server.url), getSecret('x'))).toEqual({ SecretString: 's' });
      expect(server.requests).toHaveLength(3);
    } finally {
      await server.close();
    }
  });

  it('nothing listening: the Node error code', async () => {
    const server = await scripted([]);
    const url = server.url;
    await server.close();
    expect(await callFailure(sendWith('sdk', env(url), getSecret('x')))).toMatchObject({ code: 'ECONNREFUSED', status: undefined });
  });
});

describe('credentials', () => {
  it.each([
    [
      'both keys',
      { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/x' },
      { kind: 'environment' },
    ],
    [
      'one key only: the container endpoint',
      { AWS_ACCESS_KEY_ID: 'a', AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/c' },
      { kind: 'container', url: 'http://169.254.170.2/v2/c' },
    ],
    [
      'the relative URI wins over the full one',
      { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/r', AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1/f' },
      { kind: 'container', url: 'http://169.254.170.2/r' },
    ],
    ['a relative URI that makes no URL', { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: ':bad:[' }, undefined],
    [
      'any https full URI',
      { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'https://creds.example.com/x' },
      { kind: 'container', url: 'https://creds.example.com/x' },
    ],
    [
      'the ECS host',
      { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.2/x' },
      { kind: 'container', url: 'http://169.254.170.2/x' },
    ],
    [
      'the EKS Pod Identity host',
      { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials' },
      { kind: 'container', url: 'http://169.254.170.23/v1/credentials' },
    ],
    [
      'the EKS Pod Identity IPv6 host',
      { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://[fd00:ec2::23]/v1' },
      { kind: 'container', url: 'http://[fd00:ec2::23]/v1' },
    ],
    ['localhost', { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://localhost:8080/c' }, { kind: 'container', url: 'http://localhost:8080/c' }],
    ['IPv6 loopback', { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://[::1]:8080/c' }, { kind: 'container', url: 'http://[::1]:8080/c' }],
    ['any 127/8 address', { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.1.2.3/c' }, { kind: 'container', url: 'http://127.1.2.3/c' }],
    ['a plain http host elsewhere', { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://10.0.0.1/c' }, undefined],
    ['a host that only starts like loopback', { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1.example.com/c' }, undefined],
    ['another scheme', { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'ftp://127.0.0.1/c' }, undefined],
    ['a full URI that makes no URL', { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'not a url' }, undefined],
    ['nothing', {}, undefined],
  ] as const)('the source with %s', (_what, env, expected) => {
    const source = credentialSource(env);
    expect(source && (source.kind === 'container' ? { kind: source.kind, url: source.url.href } : source)).toEqual(
      expected && ('url' in expected ? { ...expected, url: new URL(expected.url).href } : expected),
    );
  });

  const container = async (replies: Reply[], env: Env = {}, s = signal()) => {
    const server = await scripted(replies);
    const pool = new ConnectionPool();
    try {
      const url = new URL(`${server.url}/creds`);
      const outcome = await loadCredentials({ kind: 'container', url }, env, pool, s).then(
        (c) => ({ ok: c }),
        (e: unknown) => ({ error: e instanceof AwsCallError ? { type: e.type, status: e.status, code: e.code, message: e.message } : e }),
      );
      return { outcome, requests: server.requests, where: url.host };
    } finally {
      pool.close();
      await server.close();
    }
  };
  const good = {
    status: 200,
    body: JSON.stringify({ AccessKeyId: 'A', SecretAccessKey: 'S', Token: 'T', Expiration: '2099-01-01T00:00:00Z' }),
  };

  it('environment keys, with and without a session token', async () => {
    const pool = new ConnectionPool();
    expect(
      await loadCredentials(
        { kind: 'environment' },
        { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_SESSION_TOKEN: 't' },
        pool,
        signal(),
      ),
    ).toEqual({ accessKeyId: 'a', secretAccessKey: 'b', sessionToken: 't' });
    expect(
      await loadCredentials(
        { kind: 'environment' },
        { AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_SESSION_TOKEN: '' },
        pool,
        signal(),
      ),
    ).toEqual({ accessKeyId: 'a', secretAccessKey: 'b' });
  });

  it('the container endpoint: all four fields, the token sent as Authorization, the token file winning and read untrimmed', async () => {
    const r = await container([good], { AWS_CONTAINER_AUTHORIZATION_TOKEN: 'from-env' });
    expect(r.outcome).toEqual({
      ok: { accessKeyId: 'A', secretAccessKey: 'S', sessionToken: 'T', expiration: new Date('2099-01-01T00:00:00Z') },
    });
    expect(r.requests.map((q) => [q.method, q.url, q.headers.authorization])).toEqual([['GET', '/creds', 'from-env']]);
    writeFileSync(join(root, 'token'), 'from-file');
    const f = await container([good], {
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'from-env',
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: join(root, 'token'),
    });
    expect(f.requests[0]!.headers.authorization).toBe('from-file');
    const none = await container([good], { AWS_CONTAINER_AUTHORIZATION_TOKEN: '' });
    expect(none.requests[0]!.headers.authorization).toBeUndefined();
  });

  it.each([
    [
      'a token file that cannot be read',
      { AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/nonexistent/token' },
      [good],
      {
        type: 'CredentialsProviderError',
        status: undefined,
        code: 'ENOENT',
        message: 'cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE /nonexistent/token (ENOENT)',
      },
      0,
    ],
    [
      'a token with \\r\\n',
      { AWS_CONTAINER_AUTHORIZATION_TOKEN: 'a\r\nb' },
      [good],
      {
        type: 'CredentialsProviderError',
        status: undefined,
        code: undefined,
        message: 'the container authorization token contains a \\r\\n sequence',
      },
      0,
    ],
    [
      'a token file that ends in a line break (Node sends no header with one)',
      { AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile('token-with-newline', 'tok\n') },
      [good],
      {
        type: 'CredentialsProviderError',
        status: undefined,
        code: undefined,
        message: 'the container authorization token contains a character that no HTTP header can carry (a line break?)',
      },
      0,
    ],
    [
      'a token with a character above U+00FF',
      { AWS_CONTAINER_AUTHORIZATION_TOKEN: 'tok\u0100' },
      [good],
      {
        type: 'CredentialsProviderError',
        status: undefined,
        code: undefined,
        message: 'the container authorization token contains a character that no HTTP header can carry (a line break?)',
      },
      0,
    ],
    [
      'an answer that is not JSON',
      {},
      [{ status: 200, body: 'nope' }],
      {
        type: 'CredentialsProviderError',
        status: undefined,
        code: undefined,
        message: 'the container credentials endpoint answered with something that is not JSON',
      },
      1,
    ],
    [
      'an answer without a Token',
      {},
      [{ status: 200, body: JSON.stringify({ AccessKeyId: 'A', SecretAccessKey: 'S', Expiration: 'x' }) }],
      {
        type: 'CredentialsProviderError',
        status: undefined,
        code: undefined,
        message: 'the container credentials endpoint answered without AccessKeyId, SecretAccessKey, Token and Expiration',
      },
      1,
    ],
    [
      'JSON null',
      {},
      [{ status: 200, body: 'null' }],
      {
        type: 'CredentialsProviderError',
        status: undefined,
        code: undefined,
        message: 'the container credentials endpoint answered without AccessKeyId, SecretAccessKey, Token and Expiration',
      },
      1,
    ],
    [
      'a refused token (HTTP 401), not tried again',
      {},
      [{ status: 401 }, good],
      {
        type: 'CredentialsProviderError',
        status: 401,
        code: undefined,
        message: 'the container credentials endpoint HOST answered HTTP 401',
      },
      1,
    ],
    [
      'HTTP 499, not tried again',
      {},
      [{ status: 499 }, good],
      {
        type: 'CredentialsProviderError',
        status: 499,
        code: undefined,
        message: 'the container credentials endpoint HOST answered HTTP 499',
      },
      1,
    ],
  ] as const)('%s: a CredentialsProviderError', async (_what, env, replies, error, requests) => {
    const r = await container([...replies], env);
    expect(r.outcome).toEqual({ error: { ...error, message: error.message.replace('HOST', r.where) } });
    expect(r.requests).toHaveLength(requests);
  });

  it("the endpoint's own failures (HTTP 500) are tried again, 1 s apart, 4 tries in all", async () => {
    const r = await container([{ status: 500 }, good]);
    expect(r.outcome).toMatchObject({ ok: { accessKeyId: 'A' } });
    expect(r.requests).toHaveLength(2);
    const lasting = await container([{ status: 503 }]);
    expect(lasting.outcome).toEqual({
      error: {
        type: 'CredentialsProviderError',
        status: 503,
        code: undefined,
        message: `the container credentials endpoint ${lasting.where} answered HTTP 503`,
      },
    });
    expect(lasting.requests).toHaveLength(4);
  });

  it('no answer until the deadline: the error code of the last try; a deadline already passed: no request at all', async () => {
    // The deadline ends the tries early (each costs a 1 s pause): the try after the pause is the one reported, aborted.
    const reset = await container(['reset'], {}, AbortSignal.timeout(400));
    expect(reset.outcome).toEqual({
      error: {
        type: 'CredentialsProviderError',
        status: undefined,
        code: 'AbortError',
        message: `no answer from the container credentials endpoint ${reset.where} (AbortError)`,
      },
    });
    expect(reset.requests).toHaveLength(1);
    const aborted = await container([good], {}, AbortSignal.abort());
    expect(aborted.outcome).toEqual({
      error: {
        type: 'CredentialsProviderError',
        status: undefined,
        code: undefined,
        message: `no answer from the container credentials endpoint ${aborted.where} before the deadline`,
      },
    });
    expect(aborted.requests).toHaveLength(0);
  });

  it('the deadline cuts the wait between tries short', async () => {
    const started = Date.now();
    const r = await container([{ status: 500 }], {}, AbortSignal.timeout(300));
    expect(r.outcome).toEqual({
      error: {
        type: 'CredentialsProviderError',
        status: undefined,
        code: 'AbortError',
        message: `no answer from the container credentials endpoint ${r.where} (AbortError)`,
      },
    });
    expect(r.requests).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(900);
  });
});

describe('endpoints and regions', () => {
  it.each([
    ['us-east-1', true],
    ['eu-central-2', true],
    ['ap-southeast-7', true],
    ['il-central-1', true],
    ['mx-central-1', true],
    ['cn-north-1', true],
    ['us-gov-west-1', true],
    ['us-iso-east-1', false],
    ['eusc-de-east-1', false],
    ['', false],
    ['xus-east-1', false],
    ['us-east-1x', false],
  ])('knownRegion(%j) is %s', (region, known) => {
    expect(knownRegion(region)).toBe(known);
  });

  it.each([
    ['secretsmanager', 'us-east-1', {}, 'https://secretsmanager.us-east-1.amazonaws.com/'],
    ['ssm', 'eu-west-1', {}, 'https://ssm.eu-west-1.amazonaws.com/'],
    ['secretsmanager', 'cn-north-1', {}, 'https://secretsmanager.cn-north-1.amazonaws.com.cn/'],
    ['ssm', 'us-gov-east-1', {}, 'https://ssm.us-gov-east-1.amazonaws.com/'],
    ['secretsmanager', 'us-east-1', { AWS_ENDPOINT_URL: 'http://all:1', AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://sm:2' }, 'http://sm:2/'],
    ['ssm', 'us-east-1', { AWS_ENDPOINT_URL: 'http://all:1', AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://sm:2' }, 'http://all:1/'],
    ['ssm', 'us-east-1', { AWS_ENDPOINT_URL: 'http://all:1', AWS_ENDPOINT_URL_SSM: '' }, 'http://all:1/'],
    [
      'ssm',
      'us-east-1',
      { AWS_ENDPOINT_URL_SSM: 'http://ssm:3', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' },
      'https://ssm.us-east-1.amazonaws.com/',
    ],
    ['ssm', 'us-east-1', { AWS_ENDPOINT_URL_SSM: 'http://ssm:3', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false' }, 'http://ssm:3/'],
  ] as const)('endpointOf(%s, %s, %j) is %s', (service, region, env, url) => {
    expect(endpointOf(service, region, env).href).toBe(url);
  });

  it('a configured endpoint only when set; a region in no known partition is refused', () => {
    expect(configuredEndpoint('ssm', {})).toBeUndefined();
    expect(configuredEndpoint('ssm', { AWS_ENDPOINT_URL: '' })).toBeUndefined();
    expect(() => endpointOf('ssm', 'us-iso-east-1', {})).toThrow('region us-iso-east-1 is in no partition the fast transport knows');
  });
});

describe('ConnectionPool', () => {
  it('a silent server: TimeoutError after the idle timeout, named with the host', async () => {
    const server = await scripted(['stall']);
    const pool = new ConnectionPool();
    try {
      const url = new URL(server.url);
      const error = await pool
        .exchange({ url, method: 'GET', headers: {}, connectTimeoutMs: 5000, idleTimeoutMs: 200, signal: signal() })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExchangeError);
      expect([(error as ExchangeError).name, (error as ExchangeError).code, (error as ExchangeError).message]).toEqual([
        'ExchangeError',
        'TimeoutError',
        `no answer from ${url.host} within 200 ms`,
      ]);
    } finally {
      pool.close();
      await server.close();
    }
  });

  it('calls share one kept-alive connection; close() ends it', async () => {
    const server = await scripted([{ status: 200, body: 'ok' }]);
    const pool = new ConnectionPool();
    try {
      const x = {
        url: new URL(server.url),
        method: 'POST' as const,
        headers: {},
        body: 'b',
        connectTimeoutMs: 5000,
        idleTimeoutMs: 5000,
        signal: signal(),
      };
      const first = await pool.exchange(x);
      const second = await pool.exchange(x);
      expect([first.status, first.body, second.body]).toEqual([200, 'ok', 'ok']);
      expect(server.requests.map((r) => [r.method, r.body, r.headers.connection])).toEqual([
        ['POST', 'b', 'keep-alive'],
        ['POST', 'b', 'keep-alive'],
      ]);
    } finally {
      pool.close();
      await server.close();
    }
  });
});
