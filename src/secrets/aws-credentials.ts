import type { AwsCredentialIdentity } from '@smithy/types';
import { ExchangeError, type ConnectionPool } from './http-exchange.js';
import { AwsCallError } from './transport.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The credential sources the fast transport handles: those a container on AWS has. */
export type CredentialSource =
  | { readonly kind: 'environment' }
  /** ECS task role, App Runner instance role, EKS Pod Identity. */
  | { readonly kind: 'container'; readonly url: URL };

const ECS_HOST = 'http://169.254.170.2';

/**
 * The hosts the SDK accepts in AWS_CONTAINER_CREDENTIALS_FULL_URI (@aws-sdk/credential-provider-http,
 * checkUrl): any HTTPS URL, else loopback, the ECS host, or the EKS Pod Identity hosts.
 */
function allowedFullUri(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  if (url.protocol !== 'http:') return false;
  if (['169.254.170.2', '169.254.170.23', '[fd00:ec2::23]', 'localhost', '[::1]'].includes(url.hostname)) return true;
  const octets = url.hostname.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

/**
 * Which source the SDK's default chain would use, when it is one the fast transport handles:
 * environment keys (both set) come first, as in the chain; then the container endpoint, the
 * relative URI winning over the full one. Undefined otherwise (the SDK then decides).
 */
export function credentialSource(env: Env): CredentialSource | undefined {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return { kind: 'environment' };
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) {
    try {
      return { kind: 'container', url: new URL(`${ECS_HOST}${env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}`) };
    } catch {
      return undefined;
    }
  }
  if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI) {
    try {
      const url = new URL(env.AWS_CONTAINER_CREDENTIALS_FULL_URI);
      return allowedFullUri(url) ? { kind: 'container', url } : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** What Node refuses in a header value (lib/_http_common.js, checkInvalidHeaderChar). */
const HEADER_VALUE_UNSENDABLE = /[^\t\x20-\x7e\x80-\xff]/;

const credentialsError = (message: string, status?: number, code?: string) =>
  new AwsCallError('CredentialsProviderError', status, code, message);

/** The authorization header for the container endpoint: the token file wins over the token, as in the SDK. Read as is, untrimmed. */
function authorization(env: Env): string | undefined {
  let token = env.AWS_CONTAINER_AUTHORIZATION_TOKEN || undefined;
  if (env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) {
    try {
      token = process.getBuiltinModule('node:fs').readFileSync(env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw credentialsError(
        `cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ${env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE} (${code ?? 'error'})`,
        undefined,
        code,
      );
    }
  }
  if (token?.includes('\r\n')) throw credentialsError('the container authorization token contains a \\r\\n sequence');
  // Node sends no header value with another control character (a token file that ends in a line
  // break): the request would fail the same at every try, as in the SDK, and read as a dead endpoint.
  if (token !== undefined && HEADER_VALUE_UNSENDABLE.test(token)) {
    throw credentialsError('the container authorization token contains a character that no HTTP header can carry (a line break?)');
  }
  return token;
}

/** The answer of the container endpoint (ECS agent, App Runner, EKS Pod Identity agent): all four fields, as the SDK requires. */
function parseContainerCredentials(body: string): AwsCredentialIdentity {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(body) as Record<string, unknown>;
  } catch {
    throw credentialsError('the container credentials endpoint answered with something that is not JSON');
  }
  const { AccessKeyId, SecretAccessKey, Token, Expiration } = parsed ?? {};
  if (
    typeof AccessKeyId !== 'string' ||
    typeof SecretAccessKey !== 'string' ||
    typeof Token !== 'string' ||
    typeof Expiration !== 'string'
  ) {
    throw credentialsError('the container credentials endpoint answered without AccessKeyId, SecretAccessKey, Token and Expiration');
  }
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: Token, expiration: new Date(Expiration) };
}

/** The SDK's fromHttp: 1 s per try, 3 more tries 1 s apart; here also bounded by the start's deadline. */
const CONTAINER_TRIES = 4;
const CONTAINER_TIMEOUT_MS = 1000;

async function fromContainer(url: URL, env: Env, pool: ConnectionPool, signal: AbortSignal): Promise<AwsCredentialIdentity> {
  const token = authorization(env);
  const where = `container credentials endpoint ${url.host}`;
  let last: AwsCallError | undefined;
  for (let attempt = 0; attempt < CONTAINER_TRIES && !signal.aborted; attempt++) {
    if (attempt > 0) await pause(CONTAINER_TIMEOUT_MS, signal);
    try {
      const answer = await pool.exchange({
        url,
        method: 'GET',
        headers: token === undefined ? {} : { Authorization: token },
        connectTimeoutMs: CONTAINER_TIMEOUT_MS,
        idleTimeoutMs: CONTAINER_TIMEOUT_MS,
        signal,
      });
      if (answer.status === 200) return parseContainerCredentials(answer.body);
      last = credentialsError(`the ${where} answered HTTP ${answer.status}`, answer.status);
      // A refused token or role stays refused; only the endpoint's own failures are worth another try.
      if (answer.status < 500) throw last;
    } catch (error) {
      if (error instanceof AwsCallError) throw error;
      const code = error instanceof ExchangeError ? error.code : undefined;
      last = credentialsError(`no answer from the ${where} (${code ?? 'error'})`, undefined, code);
    }
  }
  throw last ?? credentialsError(`no answer from the ${where} before the deadline`);
}

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/** The credentials of one start, fetched once and shared by all its calls. */
export function loadCredentials(
  source: CredentialSource,
  env: Env,
  pool: ConnectionPool,
  signal: AbortSignal,
): Promise<AwsCredentialIdentity> {
  if (source.kind === 'environment') {
    return Promise.resolve({
      accessKeyId: env.AWS_ACCESS_KEY_ID!,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    });
  }
  return fromContainer(source.url, env, pool, signal);
}
