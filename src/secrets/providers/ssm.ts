import type { SsmParameterRef } from '../../domain.js';
import { fetchKey } from '../plan.js';
import { AwsCallError, type AwsRequest } from '../transport.js';
import type { ProviderContext } from './context.js';

type Wire = Record<string, unknown>;

/**
 * GetParameter and GetParameters share one quota (40/s at standard throughput), so a throttled
 * GetParameters is retried with backoff rather than split into single calls that would take more of it.
 */
export function getParametersRequest(region: string, refs: readonly SsmParameterRef[]): AwsRequest {
  return {
    service: 'ssm',
    region,
    operation: 'GetParameters',
    input: { Names: refs.map((r) => r.name), WithDecryption: true },
    retryThrottling: true,
  };
}

/**
 * Up to 10 parameters of one region in one GetParameters call, SecureStrings decrypted. A chunk
 * never names one parameter twice (see planCalls), so an answer maps to its reference by name.
 */
export async function fetchParameters(context: ProviderContext, region: string, refs: readonly SsmParameterRef[]): Promise<void> {
  let output: Wire;
  try {
    output = await context.send(getParametersRequest(region, refs));
  } catch (error) {
    throw context.fail(error, refs[0]!);
  }
  const invalid = new Set(Array.isArray(output.InvalidParameters) ? output.InvalidParameters : []);
  const parameters = Array.isArray(output.Parameters) ? (output.Parameters as Wire[]) : [];
  for (const ref of refs) {
    const entry = parameters.find((p) => p.Name === ref.parameter);
    if (invalid.has(ref.name) || entry === undefined || typeof entry.Value !== 'string') {
      throw context.fail(
        new AwsCallError(invalid.has(ref.name) ? 'InvalidParameters' : 'ParameterNotFound', undefined, undefined, ''),
        ref,
      );
    }
    context.payloads.set(fetchKey(ref), { secretString: entry.Value, secretBinary: undefined });
  }
}
