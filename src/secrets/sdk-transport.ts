import { BatchGetSecretValueCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AdaptiveRetryStrategy } from '@smithy/core/retry';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { AwsCallError, type AwsRequest, type AwsTransport } from './transport.js';

/**
 * AwsTransport on the AWS SDK v3: the default credential chain, endpoints from
 * AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL_SSM / AWS_ENDPOINT_URL, adaptive retries.
 * This module is the AWS edge that a start loads only when it has a reference (the startup
 * snapshot loads it as aws-secrets.cjs); client-ssm is loaded only for a parameter reference.
 */

const MAX_ATTEMPTS = 4;

type RetryStrategyV2 = Pick<AdaptiveRetryStrategy, 'acquireInitialRetryToken' | 'refreshRetryTokenForRetry' | 'recordSuccess'>;

type SsmModule = typeof import('@aws-sdk/client-ssm');
let ssmModule: Promise<SsmModule> | undefined;
// A split chunk of a CommonJS package has only a default export: the module.exports object.
const loadSsm = () => (ssmModule ??= import('@aws-sdk/client-ssm').then((m) => (m as { default?: SsmModule }).default ?? m));

/** Adaptive retries, except that a throttled batch call gives up at once so that its caller can fall back to single calls. */
function retryStrategy(retryThrottling: boolean): RetryStrategyV2 {
  const adaptive = new AdaptiveRetryStrategy(async () => MAX_ATTEMPTS);
  if (retryThrottling) return adaptive;
  return {
    acquireInitialRetryToken: (scope) => adaptive.acquireInitialRetryToken(scope),
    refreshRetryTokenForRetry: (token, info) =>
      info.errorType === 'THROTTLING'
        ? Promise.reject(new Error('throttled batch: falling back'))
        : adaptive.refreshRetryTokenForRetry(token, info),
    recordSuccess: (token) => adaptive.recordSuccess(token),
  };
}

/** The output as the JSON protocol has it: blobs as base64, no SDK metadata. */
function toWire(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (k === '$metadata' ? [] : [[k, toWire(v)]])));
  }
  return value;
}

interface SdkFailure {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

function toCallError(error: unknown): AwsCallError {
  const e = (error ?? {}) as SdkFailure;
  const message = typeof e.message === 'string' ? e.message : '';
  return new AwsCallError(e.name ?? 'Error', e.$metadata?.httpStatusCode, typeof e.code === 'string' ? e.code : undefined, message);
}

interface Client {
  send(command: unknown, options: { abortSignal: AbortSignal }): Promise<unknown>;
  destroy(): void;
  readonly config: { readonly credentials: unknown };
}

export function createSdkTransport(options: { readonly deadlineMs: number }): AwsTransport {
  // One socket pool for every client: a fallback after a refused batch reuses the batch's connection.
  // Without throwOnRequestTimeout the handler only prints a warning to the console (a line that is
  // not ours, on stderr) and the attempt waits on until the start's deadline instead of being retried.
  const requestHandler = new NodeHttpHandler({
    connectionTimeout: 3000,
    requestTimeout: Math.min(10_000, options.deadlineMs),
    throwOnRequestTimeout: true,
  });
  const clients = new Map<string, Promise<Client>>();
  // The first client's memoized credential provider, given to the others: the default chain (on ECS,
  // a call to the container credentials endpoint) runs once per start, not once per client.
  let credentials: unknown;
  const configFor = (request: AwsRequest) => ({
    region: request.region,
    retryStrategy: retryStrategy(request.retryThrottling),
    requestHandler,
    ...(credentials === undefined ? {} : { credentials: credentials as never }),
  });
  const sharing = (client: Client): Client => {
    credentials ??= client.config.credentials;
    return client;
  };

  const clientFor = (request: AwsRequest): Promise<Client> => {
    const key = `${request.service} ${request.region} ${request.retryThrottling}`;
    let client = clients.get(key);
    if (!client) {
      client =
        request.service === 'ssm'
          ? loadSsm().then(({ SSMClient }) => sharing(new SSMClient(configFor(request))))
          : Promise.resolve(sharing(new SecretsManagerClient(configFor(request))));
      clients.set(key, client);
    }
    return client;
  };

  const commandFor = async (request: AwsRequest): Promise<unknown> => {
    const input = request.input as never;
    switch (request.operation) {
      case 'GetSecretValue':
        return new GetSecretValueCommand(input);
      case 'BatchGetSecretValue':
        return new BatchGetSecretValueCommand(input);
      case 'GetParameters':
        return new (await loadSsm()).GetParametersCommand(input);
    }
  };

  return {
    kind: 'sdk',
    async send(request, signal) {
      const client = await clientFor(request);
      const command = await commandFor(request);
      try {
        return toWire(await client.send(command, { abortSignal: signal })) as Record<string, unknown>;
      } catch (error) {
        throw toCallError(error);
      }
    },
    close() {
      for (const client of clients.values()) void client.then((c) => c.destroy());
      requestHandler.destroy();
    },
  };
}
