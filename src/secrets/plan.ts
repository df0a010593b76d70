import type { SecretRef, SecretsManagerRef, SsmParameterRef } from '../domain.js';
import { usageError } from '../errors.js';

/** BatchGetSecretValue takes at most 20 ids per call. */
export const SECRETS_BATCH_LIMIT = 20;
/** GetParameters takes at most 10 names per call. */
export const PARAMETERS_BATCH_LIMIT = 10;

/** One call to make, with the references it answers. Pure data: the providers turn it into AwsRequests. */
export type PlannedCall =
  | { readonly kind: 'secrets-batch'; readonly region: string; readonly refs: readonly SecretsManagerRef[] }
  | { readonly kind: 'secret'; readonly region: string; readonly ref: SecretsManagerRef }
  | { readonly kind: 'parameters'; readonly region: string; readonly refs: readonly SsmParameterRef[] };

/** References that are fetched once however many inputs name them (JSON keys are applied after). */
export function fetchKey(ref: SecretRef): string {
  return ref.service === 'ssm'
    ? JSON.stringify(['ssm', ref.region ?? '', ref.name])
    : JSON.stringify([ref.region ?? '', ref.secretId, ref.versionStage ?? '', ref.versionId ?? '']);
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Splits into chunks of at most `size` in which no two references name the same parameter, so that each answer maps to one reference. */
function distinctChunks(refs: readonly SsmParameterRef[], size: number): SsmParameterRef[][] {
  const chunks: SsmParameterRef[][] = [];
  for (const ref of refs) {
    const open = chunks.find((c) => c.length < size && !c.some((r) => r.parameter === ref.parameter));
    if (open) open.push(ref);
    else chunks.push([ref]);
  }
  return chunks;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/**
 * Pure: the calls that fetch `refs`, de-duplicated and grouped by service and region. Current
 * versions of secrets go in BatchGetSecretValue calls of up to 20 ids; a lone secret and pinned
 * versions (the batch call reads only AWSCURRENT) in GetSecretValue; parameters in GetParameters
 * calls of up to 10 names. A bare name or `ssm:NAME` lives in `defaultRegion`.
 */
export function planCalls(refs: readonly SecretRef[], defaultRegion: string | undefined): PlannedCall[] {
  const byKey = new Map<string, SecretRef>();
  for (const ref of refs) if (!byKey.has(fetchKey(ref))) byKey.set(fetchKey(ref), ref);
  const unique = [...byKey.values()];
  const regionOf = (ref: SecretRef): string => {
    const region = ref.region ?? defaultRegion;
    if (region === undefined) {
      const what = ref.service === 'ssm' ? `parameter ${ref.text}` : `secret ${ref.text}`;
      throw usageError(
        `${what}: no AWS region for a ${ref.service === 'ssm' ? 'parameter' : 'secret'} given by name`,
        'set AWS_REGION, or use the full ARN',
      );
    }
    return region;
  };
  const calls: PlannedCall[] = [];
  const secrets = unique.filter((r): r is SecretsManagerRef => r.service === 'secretsmanager');
  for (const [region, group] of groupBy(secrets, regionOf)) {
    const pinned = group.filter((r) => r.versionStage !== undefined || r.versionId !== undefined);
    const current = group.filter((r) => !pinned.includes(r));
    for (const part of chunk(current, SECRETS_BATCH_LIMIT)) {
      // A single secret gains nothing from the batch call and would lose a round trip if it were denied.
      if (part.length === 1) calls.push({ kind: 'secret', region, ref: part[0]! });
      else calls.push({ kind: 'secrets-batch', region, refs: part });
    }
    for (const ref of pinned) calls.push({ kind: 'secret', region, ref });
  }
  const parameters = unique.filter((r): r is SsmParameterRef => r.service === 'ssm');
  for (const [region, group] of groupBy(parameters, regionOf)) {
    for (const part of distinctChunks(group, PARAMETERS_BATCH_LIMIT)) calls.push({ kind: 'parameters', region, refs: part });
  }
  return calls;
}
