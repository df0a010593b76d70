import { readFile } from 'node:fs/promises';
import { describeOrigin, type InputSource, type ResolvedInput, type SecretRef } from '../domain.js';
import { dataError, noPermission, notFound } from '../errors.js';
import { fetchKey } from '../secrets/reference.js';
import { valueOf } from '../secrets/secret-value.js';

/** The AWS edge, loaded only when a start has a reference; how depends on how the bundle runs. */
export type LoadSecretsClient = () => Promise<typeof import('../secrets/aws-secrets.js')>;

export interface ResolveReport {
  readonly inputs: readonly ResolvedInput[];
  readonly secretCalls: number;
  readonly distinctSecrets: number;
  readonly batchDenied: boolean;
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
 * SDK is imported only when a reference is present, so a start without ARNs does not load it.
 */
export async function resolveInputs(
  sources: readonly InputSource[],
  signal: AbortSignal,
  deadlineMs: number,
  loadSecretsClient: LoadSecretsClient,
): Promise<ResolveReport> {
  const refs: SecretRef[] = sources.flatMap((s) => (s.origin.type === 'secret' ? [s.origin.ref] : []));
  const fetched = refs.length === 0 ? undefined : await (await loadSecretsClient()).fetchSecrets(refs, { signal, deadlineMs });
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
    secretCalls: fetched?.calls ?? 0,
    distinctSecrets: fetched?.payloads.size ?? 0,
    batchDenied: fetched?.batchDenied ?? false,
  };
}
