import type { SecretRef } from '../domain.js';
import { isBootstrapError } from '../errors.js';
import { asAwsCallError, classify } from './aws-errors.js';
import { planCalls, type PlannedCall } from './plan.js';
import type { ProviderContext } from './providers/context.js';
import { fetchSecret, fetchSecretsBatch } from './providers/secrets-manager.js';
import { fetchParameters } from './providers/ssm.js';
import type { SecretPayload } from './secret-value.js';
import type { AwsOperation, AwsTransport } from './transport.js';

export interface FetchOptions {
  readonly transport: AwsTransport;
  /** Where a bare secret name and `ssm:NAME` live: AWS_REGION, else AWS_DEFAULT_REGION. */
  readonly defaultRegion: string | undefined;
  readonly signal: AbortSignal;
  readonly deadlineMs: number;
}

export interface FetchOutcome {
  /** By fetchKey(ref). */
  readonly payloads: ReadonlyMap<string, SecretPayload>;
  /** Requests made per operation, retries not counted. */
  readonly calls: Readonly<Partial<Record<AwsOperation, number>>>;
  readonly batchDenied: boolean;
  readonly batchThrottled: boolean;
}

/**
 * Fetches every distinct reference once: plans the calls, sends them all in parallel (one round
 * trip where no batch is refused), and holds them to one deadline.
 */
export async function fetchSecrets(refs: readonly SecretRef[], options: FetchOptions): Promise<FetchOutcome> {
  const { transport, signal, deadlineMs, defaultRegion } = options;
  const plan = planCalls(refs, defaultRegion);
  const calls: Partial<Record<AwsOperation, number>> = {};
  let batchDenied = false;
  let batchThrottled = false;
  const context: ProviderContext = {
    payloads: new Map(),
    send: (request) => {
      calls[request.operation] = (calls[request.operation] ?? 0) + 1;
      return transport.send(request, signal);
    },
    // Anything else is a bug (or a missing chunk), reported as an internal error rather than blamed on AWS.
    fail: (error, ref) =>
      isBootstrapError(error) || (!asAwsCallError(error) && !signal.aborted)
        ? error
        : classify(error, ref, { defaultRegion, deadlineMs, aborted: signal.aborted }),
    fellBack: (reason) => {
      if (reason === 'denied') batchDenied = true;
      else batchThrottled = true;
    },
  };
  const send = (call: PlannedCall): Promise<unknown> => {
    switch (call.kind) {
      case 'secrets-batch':
        return fetchSecretsBatch(context, call.region, call.refs);
      case 'secret':
        return fetchSecret(context, call.region, call.ref);
      case 'parameters':
        return fetchParameters(context, call.region, call.refs);
    }
  };
  // A transport's retry delays need not all listen to the abort signal; the deadline must hold regardless.
  let expire: () => void = () => {};
  const deadline = new Promise<never>((_, reject) => {
    expire = () => reject(classify(undefined, refs[0]!, { defaultRegion, deadlineMs, aborted: true }));
    if (signal.aborted) expire();
    else signal.addEventListener('abort', expire, { once: true });
  });
  try {
    await Promise.race([deadline, Promise.all(plan.map(send))]);
  } finally {
    signal.removeEventListener('abort', expire);
  }
  return { payloads: context.payloads, calls, batchDenied, batchThrottled };
}
