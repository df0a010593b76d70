import type { AwsCredentialIdentity } from '@smithy/types';
import { loadCredentials, type CredentialSource } from './aws-credentials.js';
import { isThrottling } from './aws-errors.js';
import { endpointOf } from './aws-endpoint.js';
import { ConnectionPool, ExchangeError, type Answer } from './http-exchange.js';
import { signRequest } from './sigv4.js';
import { AwsCallError, type AwsRequest, type AwsTransport } from './transport.js';

type Env = Readonly<Record<string, string | undefined>>;

/** X-Amz-Target prefix of each service's JSON 1.1 API. */
const TARGET = { secretsmanager: 'secretsmanager', ssm: 'AmazonSSM' } as const;

/** The SDK's standard retry policy: 4 attempts, full jitter, 100 ms base (500 ms when throttled), at most 20 s. */
const MAX_ATTEMPTS = 4;
const BASE_DELAY_MS = 100;
const THROTTLING_BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 20_000;
const CONNECT_TIMEOUT_MS = 3000;
const IDLE_TIMEOUT_MS = 10_000;

/** The SDK's transient classes (@smithy/core retry: TRANSIENT_ERROR_CODES and _STATUS_CODES, NODEJS_TIMEOUT_ and NODEJS_NETWORK_ERROR_CODES); throttling is aws-errors' isThrottling. */
const TRANSIENT_TYPES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** The SDK's error-code rule for JSON 1.1 (loadJsonRpcErrorCode): __type, then code, then x-amzn-errortype; namespace and suffixes cut. */
function errorType(answer: Answer, body: Record<string, unknown>): string {
  const codeKey = Object.keys(body).find((k) => k.toLowerCase() === 'code');
  const header = answer.headers['x-amzn-errortype'];
  const raw = body.__type ?? (codeKey === undefined ? undefined : body[codeKey]) ?? (typeof header === 'string' ? header : undefined);
  if (raw === undefined || raw === null) return 'Unknown';
  let type = String(raw).split(',')[0]!.split(':')[0]!;
  if (type.includes('#')) type = type.split('#')[1]!;
  return type;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** An answer other than 200, normalised as the SDK transport normalises the SDK's exceptions. */
function serviceError(answer: Answer): AwsCallError {
  const body = parseObject(answer.body) ?? {};
  const message = body.message ?? body.Message;
  return new AwsCallError(errorType(answer, body), answer.status, undefined, typeof message === 'string' ? message : 'UnknownError');
}

const isTransient = (e: AwsCallError) =>
  TRANSIENT_TYPES.has(e.type) ||
  (e.status !== undefined && TRANSIENT_STATUS.has(e.status)) ||
  (e.code !== undefined && TRANSIENT_CODES.has(e.code));

const backoff = (attempt: number, throttled: boolean, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const ms = Math.floor(Math.random() * Math.min(MAX_DELAY_MS, (throttled ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS) * 2 ** attempt));
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Secrets Manager and SSM in their JSON 1.1 protocol over node:https, signed with AWS's SigV4
 * signer: the calls of a start without the AWS SDK, so that they fit in the startup snapshot.
 * Only for the credential sources and partitions chooseTransport() hands it.
 */
export class FastTransport implements AwsTransport {
  readonly kind = 'fast';
  private readonly pool = new ConnectionPool();
  private credentials: Promise<AwsCredentialIdentity> | undefined;

  constructor(
    private readonly source: CredentialSource,
    private readonly env: Env,
  ) {}

  async send(request: AwsRequest, signal: AbortSignal): Promise<Record<string, unknown>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(request, signal);
      } catch (error) {
        if (!(error instanceof AwsCallError)) throw error;
        const throttled = isThrottling(error);
        const retry = throttled ? request.retryThrottling : isTransient(error);
        if (!retry || attempt + 1 >= MAX_ATTEMPTS || signal.aborted) throw error;
        await backoff(attempt, throttled, signal);
        if (signal.aborted) throw error;
      }
    }
  }

  private async attempt(request: AwsRequest, signal: AbortSignal): Promise<Record<string, unknown>> {
    this.credentials ??= loadCredentials(this.source, this.env, this.pool, signal);
    const credentials = await this.credentials;
    const url = endpointOf(request.service, request.region, this.env);
    const body = JSON.stringify(request.input);
    const unsigned = {
      protocol: url.protocol as 'https:' | 'http:',
      hostname: url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: url.pathname,
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.1',
        'content-length': String(Buffer.byteLength(body)),
        'x-amz-target': `${TARGET[request.service]}.${request.operation}`,
        // Names the caller in CloudTrail, as the SDK's aws-sdk-js/… does.
        'user-agent': 'pipecd-bootstrap',
      },
      body,
    };
    const headers = await signRequest(unsigned, request.service, request.region, credentials);
    let answer: Answer;
    try {
      answer = await this.pool.exchange({
        url,
        method: 'POST',
        headers,
        body,
        connectTimeoutMs: CONNECT_TIMEOUT_MS,
        idleTimeoutMs: IDLE_TIMEOUT_MS,
        signal,
      });
    } catch (error) {
      if (!(error instanceof ExchangeError)) throw error;
      // Named as the SDK's handler names them: AbortError, TimeoutError, else Node's own Error with its code.
      const type = error.code === 'AbortError' || error.code === 'TimeoutError' ? error.code : 'Error';
      throw new AwsCallError(type, undefined, type === 'Error' ? error.code : undefined, error.message);
    }
    if (answer.status !== 200) throw serviceError(answer);
    const output = parseObject(answer.body);
    if (output === undefined)
      throw new AwsCallError('Unknown', answer.status, undefined, `${request.operation} answered with a body that is not a JSON object`);
    return output;
  }

  close(): void {
    this.pool.close();
  }
}
