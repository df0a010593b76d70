import {
  BatchGetSecretValueCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
  type GetSecretValueCommandOutput,
  type SecretValueEntry,
} from '@aws-sdk/client-secrets-manager';
import type { SecretRef } from '../domain.js';
import { BootstrapError, ExitCode, usageError } from '../errors.js';
import { fetchKey } from './reference.js';
import type { SecretPayload } from './secret-value.js';

/** BatchGetSecretValue takes at most 20 ids per call. */
export const BATCH_LIMIT = 20;

export interface FetchOutcome {
  /** By fetchKey(ref). */
  readonly payloads: ReadonlyMap<string, SecretPayload>;
  /** Secrets Manager requests made, retries not counted. */
  readonly calls: number;
  readonly batchDenied: boolean;
}

interface AwsError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

/** Node's codes for a certificate it does not trust: a TLS-intercepting proxy, or the wrong endpoint. */
const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const PERMISSION = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
]);
const NOT_FOUND = new Set(['ResourceNotFoundException', 'InvalidRequestException']);

function roleHint(action: string, ref: SecretRef): string {
  return `the task role (ECS) or instance role (App Runner) needs ${action} on ${ref.secretId}${action.includes('Batch') ? '' : ', and kms:Decrypt on its KMS key if it uses a customer managed key'}`;
}

/** Maps an SDK failure to an exit code and a message that says what to do. Messages name ids, never values. */
export function explain(error: unknown, ref: SecretRef, deadlineMs: number, aborted: boolean): BootstrapError {
  const e = (error ?? {}) as AwsError;
  const name = e.name ?? 'Error';
  const what = `secret ${ref.text}`;
  if (aborted) {
    return new BootstrapError(
      ExitCode.unavailable,
      `${what}: no answer from Secrets Manager within the ${deadlineMs / 1000} s deadline`,
      'check the network path to Secrets Manager (NAT, VPC endpoint) or raise PIPECD_BOOTSTRAP_TIMEOUT',
    );
  }
  if (name === 'DecryptionFailure' || (/kms/i.test(e.message ?? '') && name !== 'ResourceNotFoundException')) {
    return new BootstrapError(
      ExitCode.noPermission,
      `${what}: Secrets Manager could not decrypt it with KMS (${name})`,
      'the task role needs kms:Decrypt on the key that encrypts this secret',
    );
  }
  if (PERMISSION.has(name)) {
    return new BootstrapError(ExitCode.noPermission, `${what}: access denied (${name})`, roleHint('secretsmanager:GetSecretValue', ref));
  }
  if (name === 'CredentialsProviderError') {
    return new BootstrapError(
      ExitCode.noPermission,
      `${what}: no AWS credentials found`,
      'give the ECS task a task role, or the App Runner service an instance role',
    );
  }
  if (NOT_FOUND.has(name)) {
    const version = ref.versionStage ? ` with stage ${ref.versionStage}` : ref.versionId ? ` with version ${ref.versionId}` : '';
    return new BootstrapError(
      ExitCode.notFound,
      `${what}: not found${version} (${name})`,
      'check the ARN or name, its region, and that the secret is not scheduled for deletion',
    );
  }
  if (/region is missing/i.test(e.message ?? '')) {
    return usageError(`${what}: no AWS region for a secret given by name`, 'set AWS_REGION, or use the full ARN');
  }
  if (name === 'InvalidParameterException' || name === 'ValidationException') {
    return new BootstrapError(
      ExitCode.dataError,
      `${what}: Secrets Manager refused the reference (${name})`,
      'check the reference: ARN-or-name[:json-key[:version-stage[:version-id]]]',
    );
  }
  if (e.code !== undefined && UNTRUSTED_CERTIFICATE.has(e.code)) {
    return new BootstrapError(
      ExitCode.unavailable,
      `${what}: the Secrets Manager endpoint's TLS certificate is not trusted (${e.code})`,
      'behind a TLS-inspecting proxy, set NODE_EXTRA_CA_CERTS to its CA bundle; otherwise check AWS_ENDPOINT_URL_SECRETS_MANAGER',
    );
  }
  const status = e.$metadata?.httpStatusCode;
  const detail = [name, e.code, status && `HTTP ${status}`].filter(Boolean).join(', ');
  return new BootstrapError(
    ExitCode.unavailable,
    `${what}: Secrets Manager unavailable after retries (${detail})`,
    'retry later; check the network path to Secrets Manager and its service quotas',
  );
}

const payloadOf = (v: SecretValueEntry | GetSecretValueCommandOutput): SecretPayload => ({
  secretString: v.SecretString,
  secretBinary: v.SecretBinary,
});

/** Whether a batch entry answers a requested id: a full ARN, a partial ARN (no random suffix) or a name. */
export function answers(id: string, entry: SecretValueEntry): boolean {
  if (id === entry.ARN || id === entry.Name) return true;
  return entry.ARN !== undefined && entry.ARN.startsWith(`${id}-`) && /^-[A-Za-z0-9]{6}$/.test(entry.ARN.slice(id.length));
}

export interface FetchOptions {
  readonly signal: AbortSignal;
  readonly deadlineMs: number;
}

/**
 * Fetches every distinct secret once: one BatchGetSecretValue per region and 20 ids, or, for
 * pinned versions, ids the batch did not answer, and when the batch call itself is denied,
 * parallel GetSecretValue calls.
 */
export async function fetchSecrets(refs: readonly SecretRef[], options: FetchOptions): Promise<FetchOutcome> {
  const unique = new Map<string, SecretRef>();
  for (const ref of refs) if (!unique.has(fetchKey(ref))) unique.set(fetchKey(ref), ref);
  // A bare name lives in the default region; grouping it there lets it share the batch with ARNs of that region.
  const defaultRegion = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || undefined;
  const byRegion = new Map<string | undefined, SecretRef[]>();
  for (const ref of unique.values()) {
    const region = ref.region ?? defaultRegion;
    byRegion.set(region, [...(byRegion.get(region) ?? []), ref]);
  }

  const payloads = new Map<string, SecretPayload>();
  let calls = 0;
  let batchDenied = false;
  const clients: SecretsManagerClient[] = [];
  const guard = async <T>(ref: SecretRef, send: () => Promise<T>): Promise<T> => {
    calls++;
    try {
      return await send();
    } catch (error) {
      throw explain(error, ref, options.deadlineMs, options.signal.aborted);
    }
  };

  const getOne = async (client: SecretsManagerClient, ref: SecretRef) => {
    const command = new GetSecretValueCommand({ SecretId: ref.secretId, VersionStage: ref.versionStage, VersionId: ref.versionId });
    const output = await guard(ref, () => client.send(command, { abortSignal: options.signal }));
    payloads.set(fetchKey(ref), payloadOf(output));
  };

  const batch = async (client: SecretsManagerClient, group: SecretRef[]): Promise<SecretRef[]> => {
    const command = new BatchGetSecretValueCommand({ SecretIdList: group.map((r) => r.secretId) });
    let output;
    try {
      output = await guard(group[0]!, () => client.send(command, { abortSignal: options.signal }));
    } catch (error) {
      // A role may be allowed GetSecretValue but not BatchGetSecretValue (a newer action); that is not a failure.
      if (error instanceof BootstrapError && error.exitCode === ExitCode.noPermission && !options.signal.aborted) {
        batchDenied = true;
        return group;
      }
      throw error;
    }
    const failures = new Map((output.Errors ?? []).map((e) => [e.SecretId, e]));
    const left: SecretRef[] = [];
    for (const ref of group) {
      const failure = failures.get(ref.secretId);
      if (failure) throw explain({ name: failure.ErrorCode }, ref, options.deadlineMs, false);
      const entry = (output.SecretValues ?? []).find((v) => answers(ref.secretId, v));
      if (entry) payloads.set(fetchKey(ref), payloadOf(entry));
      else left.push(ref);
    }
    return left;
  };

  // The SDK's retry delays do not all listen to the abort signal; the deadline must hold regardless.
  const deadline = new Promise<never>((_, reject) => {
    const expire = () => reject(explain(undefined, refs[0]!, options.deadlineMs, true));
    if (options.signal.aborted) expire();
    else options.signal.addEventListener('abort', expire, { once: true });
  });
  try {
    await Promise.race([
      deadline,
      Promise.all(
        [...byRegion].map(async ([region, group]) => {
          const client = new SecretsManagerClient({
            ...(region ? { region } : {}),
            retryMode: 'adaptive',
            maxAttempts: 4,
            requestHandler: { connectionTimeout: 3000, requestTimeout: Math.min(10_000, options.deadlineMs) },
          });
          clients.push(client);
          const pinned = group.filter((r) => r.versionStage !== undefined || r.versionId !== undefined);
          const current = group.filter((r) => !pinned.includes(r));
          const chunks: SecretRef[][] = [];
          for (let i = 0; i < current.length; i += BATCH_LIMIT) chunks.push(current.slice(i, i + BATCH_LIMIT));
          // A single secret gains nothing from the batch call and would lose a round trip if it were denied.
          const leftovers = await Promise.all(chunks.map((chunk) => (chunk.length === 1 ? chunk : batch(client, chunk))));
          await Promise.all([...pinned, ...leftovers.flat()].map((ref) => getOne(client, ref)));
        }),
      ),
    ]);
  } finally {
    for (const client of clients) client.destroy();
  }
  return { payloads, calls, batchDenied };
}
