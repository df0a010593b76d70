import type { SecretRef } from '../../domain.js';
import type { SecretPayload } from '../secret-value.js';
import type { AwsRequest } from '../transport.js';

/** What a provider is given: a counted way to send, the one error classifier, and where to put what it fetched. */
export interface ProviderContext {
  /** Rejects with an AwsCallError. */
  send(request: AwsRequest): Promise<Record<string, unknown>>;
  /** The error to throw for a failed call: an AwsCallError classified, anything else as it is. */
  fail(error: unknown, ref: SecretRef): unknown;
  /** A batch call that was refused and replaced by single calls, for the log. */
  fellBack(reason: 'denied' | 'throttled'): void;
  /** By fetchKey(ref). */
  readonly payloads: Map<string, SecretPayload>;
}
