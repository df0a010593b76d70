import { readFile } from 'node:fs/promises';
import { describeOrigin, type InputSource, type ResolvedInput, type SecretRef } from '../domain.js';
import { dataError, noPermission, notFound } from '../errors.js';
import { fetchSecrets } from '../secrets/fetch-secrets.js';
import { fetchKey, planCalls } from '../secrets/plan.js';
import { valueOf } from '../secrets/secret-value.js';
import type { AwsOperation, AwsTransport } from '../secrets/transport.js';

/** How a start reaches AWS: the region of bare names, and a transport opened only when a reference is present. */
export interface AwsAccess {
  readonly defaultRegion: string | undefined;
  /** The transport for calls in these regions (the region of bare names included). */
  open(regions: readonly string[], deadlineMs: number): Promise<AwsTransport>;
}

export interface ResolveReport {
  readonly inputs: readonly ResolvedInput[];
  readonly calls: Readonly<Partial<Record<AwsOperation, number>>>;
  readonly distinctSecrets: number;
  readonly batchDenied: boolean;
  readonly batchThrottled: boolean;
  /** The transport that made the calls, when there were references. */
  readonly client: AwsTransport['kind'] | undefined;
}

async function fetchAll(refs: readonly SecretRef[], signal: AbortSignal, deadlineMs: number, aws: AwsAccess) {
  if (refs.length === 0) return undefined;
  // The plan first: a name without a region is refused before a client is loaded for nothing.
  const regions = [...new Set(planCalls(refs, aws.defaultRegion).map((call) => call.region))];
  const transport = await aws.open(regions, deadlineMs);
  try {
    return { client: transport.kind, ...(await fetchSecrets(refs, { transport, defaultRegion: aws.defaultRegion, signal, deadlineMs })) };
  } finally {
    // Open sockets would keep a supervised start's event loop, or an exit, waiting.
    transport.close();
  }
}

async function readInputFile(source: InputSource, path: string): Promise<Buffer> {
  const label = describeOrigin(source.spec.name, source.origin);
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw notFound(`${label}: no such file`, 'check the path and the volume mount');
    if (code === 'EACCES') throw noPermission(`${label}: permission denied`, 'make the file readable by the container user');
    if (code === 'EISDIR') throw dataError(`${label}: is a directory`);
    throw notFound(`${label}: cannot be read (${code ?? 'error'})`);
  }
}

/**
 * Brings every input's bytes in hand: env values as they are, files read, secrets fetched. The AWS
 * edge is opened only when a reference is present, so a start without references does not load it.
 */
export async function resolveInputs(
  sources: readonly InputSource[],
  signal: AbortSignal,
  deadlineMs: number,
  aws: AwsAccess,
): Promise<ResolveReport> {
  const refs: SecretRef[] = sources.flatMap((s) => (s.origin.type === 'secret' ? [s.origin.ref] : []));
  const fetched = await fetchAll(refs, signal, deadlineMs, aws);
  const inputs = await Promise.all(
    sources.map(async (source): Promise<ResolvedInput> => {
      const { spec, origin, encoding } = source;
      switch (origin.type) {
        case 'env':
          return { spec, origin, encoding, bytes: source.value ?? Buffer.alloc(0) };
        case 'file':
          return { spec, origin, encoding, bytes: await readInputFile(source, origin.path) };
        case 'secret': {
          const payload = fetched!.payloads.get(fetchKey(origin.ref))!;
          const bytes = valueOf(origin.ref, payload, describeOrigin(spec.name, origin));
          return { spec, origin, encoding, bytes, ...(payload.secretString === undefined ? { secretBinary: true } : {}) };
        }
      }
    }),
  );
  return {
    inputs,
    calls: fetched?.calls ?? {},
    distinctSecrets: fetched?.payloads.size ?? 0,
    batchDenied: fetched?.batchDenied ?? false,
    batchThrottled: fetched?.batchThrottled ?? false,
    client: fetched?.client,
  };
}
