import type { SecretsManagerRef } from '../../domain.js';
import { asAwsCallError, isDenied, isThrottling } from '../aws-errors.js';
import { fetchKey } from '../plan.js';
import type { SecretPayload } from '../secret-value.js';
import { AwsCallError, type AwsRequest } from '../transport.js';
import type { ProviderContext } from './context.js';

type Wire = Record<string, unknown>;

const payloadOf = (value: Wire): SecretPayload => ({
  secretString: typeof value.SecretString === 'string' ? value.SecretString : undefined,
  secretBinary: typeof value.SecretBinary === 'string' ? Buffer.from(value.SecretBinary, 'base64') : undefined,
});

export function getSecretValueRequest(region: string, ref: SecretsManagerRef): AwsRequest {
  const input = {
    SecretId: ref.secretId,
    ...(ref.versionStage ? { VersionStage: ref.versionStage } : {}),
    ...(ref.versionId ? { VersionId: ref.versionId } : {}),
  };
  return { service: 'secretsmanager', region, operation: 'GetSecretValue', input, retryThrottling: true };
}

/** No backoff on a throttled batch: the account's BatchGetSecretValue quota is 100/s, GetSecretValue's is 10,000/s. */
export function batchGetSecretValueRequest(region: string, refs: readonly SecretsManagerRef[]): AwsRequest {
  return {
    service: 'secretsmanager',
    region,
    operation: 'BatchGetSecretValue',
    input: { SecretIdList: refs.map((r) => r.secretId) },
    retryThrottling: false,
  };
}

/** Whether a batch entry answers a requested id: a full ARN, a partial ARN (no random suffix) or a name. */
export function answers(id: string, entry: Wire): boolean {
  if (id === entry.ARN || id === entry.Name) return true;
  return typeof entry.ARN === 'string' && entry.ARN.startsWith(`${id}-`) && /^-[A-Za-z0-9]{6}$/.test(entry.ARN.slice(id.length));
}

export async function fetchSecret(context: ProviderContext, region: string, ref: SecretsManagerRef): Promise<void> {
  let output: Wire;
  try {
    output = await context.send(getSecretValueRequest(region, ref));
  } catch (error) {
    throw context.fail(error, ref);
  }
  context.payloads.set(fetchKey(ref), payloadOf(output));
}

const fetchEach = (context: ProviderContext, region: string, refs: readonly SecretsManagerRef[]) =>
  Promise.all(refs.map((ref) => fetchSecret(context, region, ref)));

/**
 * Current versions of up to 20 secrets in one BatchGetSecretValue call. When the role may not make
 * that call (a newer action than GetSecretValue), or the account's batch quota is used up, the same
 * secrets come at once by parallel GetSecretValue calls; so do secrets the answer left out.
 */
export async function fetchSecretsBatch(context: ProviderContext, region: string, refs: readonly SecretsManagerRef[]): Promise<void> {
  let output: Wire;
  try {
    output = await context.send(batchGetSecretValueRequest(region, refs));
  } catch (error) {
    const failure = asAwsCallError(error);
    if (failure && (isDenied(failure) || isThrottling(failure))) {
      context.fellBack(isDenied(failure) ? 'denied' : 'throttled');
      await fetchEach(context, region, refs);
      return;
    }
    throw context.fail(error, refs[0]!);
  }
  const entries = Array.isArray(output.SecretValues) ? (output.SecretValues as Wire[]) : [];
  const errors = Array.isArray(output.Errors) ? (output.Errors as Wire[]) : [];
  const left: SecretsManagerRef[] = [];
  for (const ref of refs) {
    const failure = errors.find((e) => e.SecretId === ref.secretId);
    if (failure) throw context.fail(new AwsCallError(String(failure.ErrorCode), undefined, undefined, String(failure.Message ?? '')), ref);
    const entry = entries.find((v) => answers(ref.secretId, v));
    if (entry) context.payloads.set(fetchKey(ref), payloadOf(entry));
    else left.push(ref);
  }
  await fetchEach(context, region, left);
}
