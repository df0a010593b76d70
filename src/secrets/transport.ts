// src/secrets/transport.ts
export type AwsService = 'secretsmanager' | 'ssm';
export type AwsOperation = 'GetSecretValue' | 'BatchGetSecretValue' | 'GetParameters';

/** One call in AWS's JSON 1.1 protocol (X-Amz-Target: secretsmanager.X / AmazonSSM.X). */
export interface AwsRequest {
  readonly service: AwsService;
  /** Already resolved (from the ARN, or the default region). */
  readonly region: string;
  readonly operation: AwsOperation;
  /** The request body exactly as the API takes it. */
  readonly input: Readonly<Record<string, unknown>>;
  /** False for batch calls: a throttled batch falls back at once to single calls instead of backing off. */
  readonly retryThrottling: boolean;
}

/** A failed call, normalised: the AWS error type (x-amzn-errortype / __type, without the '#' prefix),
 *  the HTTP status, a Node error code (ECONNRESET, certificate codes), or 'CredentialsProviderError' /
 *  'Timeout' for local causes. Never carries a secret value. */
export class AwsCallError extends Error {
  constructor(
    readonly type: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'AwsCallError';
  }
}

export interface AwsTransport {
  readonly kind: 'fast' | 'sdk';
  /** The output as it is on the wire (JSON), e.g. SecretBinary as a base64 string. Rejects with AwsCallError. */
  send(request: AwsRequest, signal: AbortSignal): Promise<Record<string, unknown>>;
  /** Closes sockets so that the process can execve or exit at once. */
  close(): void;
}
