import type { SecretRef } from '../../domain.js';
import type { BootstrapError } from '../../errors.js';
import type { SecretPayload } from '../secret-value.js';
import type { AwsRequest } from '../transport.js';

/** What a provider is given: a counted way to send, the one error classifier, and where to put what it fetched. */
export interface ProviderContext {
  /** Rejects with an AwsCallError. */
  send(request: AwsRequest): Promise<Record<string, unknown>>;
  fail(error: unknown, ref: SecretRef): BootstrapError;
  /** A batch call that was refused and replaced by single calls, for the log. */
  fellBack(reason: 'denied' | 'throttled'): void;
  /** By fetchKey(ref). */
  readonly payloads: Map<string, SecretPayload>;
}
