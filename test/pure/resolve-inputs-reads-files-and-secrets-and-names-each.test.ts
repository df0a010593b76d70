import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { InputOrigin, InputSource } from '../../src/domain.js';
import { BootstrapError } from '../../src/errors.js';
import { INPUTS } from '../../src/inputs/catalog.js';
import { resolveInputs, type AwsAccess } from '../../src/inputs/resolve-inputs.js';
import { AwsCallError, type AwsRequest, type AwsTransport } from '../../src/secrets/transport.js';
import { ref } from '../helpers/refs.js';

/**
 * Files are real files in a temp dir. This process runs as root in CI containers, which reads any
 * file, so the one denied read is made by node:fs/promises for one path, with the error Node gives.
 */
const denied = vi.hoisted(() => ({ path: '' }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const readFile = ((path: unknown, ...rest: unknown[]) => {
    if (path === denied.path) {
      const error = Object.assign(new Error(`EACCES: permission denied, open '${String(path)}'`), {
        code: 'EACCES',
        errno: -13,
        syscall: 'open',
        path,
      });
      return Promise.reject(error);
    }
    return (actual.readFile as (...args: unknown[]) => unknown)(path, ...rest);
  }) as typeof actual.readFile;
  return { ...actual, default: { ...actual, readFile }, readFile };
});

const dir = mkdtempSync(join(tmpdir(), 'resolve-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
denied.path = join(dir, 'denied');

const A = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:a-AbCdEf';
const B = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:b-AbCdEf';

const fileSource = (path: string): InputSource => ({
  spec: INPUTS.pipedConfig,
  origin: { type: 'file', path, via: 'env PIPED_CONFIG_FILE' },
  encoding: 'auto',
});
const secretSource = (spec: InputSource['spec'], text: string): InputSource => ({
  spec,
  origin: { type: 'secret', ref: ref(text), via: `env ${spec.name}_SECRET` },
  encoding: 'raw',
});

/** An AwsAccess whose transport answers from `answer`, recording the regions it was opened for and its closes. */
function access(answer: (request: AwsRequest) => Record<string, unknown>, defaultRegion?: string) {
  const seen = { regions: [] as (readonly string[])[], closed: 0, sent: [] as string[] };
  const transport: AwsTransport = {
    kind: 'fast',
    async send(request) {
      seen.sent.push(`${request.operation} ${request.region}`);
      return answer(request);
    },
    close() {
      seen.closed++;
    },
  };
  const aws: AwsAccess = {
    defaultRegion,
    async open(regions) {
      seen.regions.push(regions);
      return transport;
    },
  };
  return { aws, seen };
}
const never = () => {
  throw new Error('no call expected');
};
const resolve = (sources: InputSource[], aws: AwsAccess) => resolveInputs(sources, new AbortController().signal, 5_000, aws);

async function failure(promise: Promise<unknown>): Promise<BootstrapError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BootstrapError);
  return error as BootstrapError;
}

describe('resolveInputs', () => {
  it('without references: no AWS at all, and a report of nothing fetched', async () => {
    const { aws, seen } = access(never);
    const origin: InputOrigin = { type: 'env', variable: 'PIPED_KEY' };
    const report = await resolve([{ spec: INPUTS.pipedKey, origin, encoding: 'raw', value: Buffer.from('k') }], aws);
    expect(report).toStrictEqual({
      inputs: [{ spec: INPUTS.pipedKey, origin, encoding: 'raw', bytes: Buffer.from('k') }],
      calls: {},
      distinctSecrets: 0,
      batchDenied: false,
      batchThrottled: false,
      client: undefined,
    });
    expect(seen).toEqual({ regions: [], closed: 0, sent: [] });
  });

  it('reads a file byte for byte', async () => {
    const path = join(dir, 'piped.yaml');
    writeFileSync(path, Buffer.from([0x61, 0xff, 0x00, 0x0a]));
    const { aws } = access(never);
    const report = await resolve([fileSource(path)], aws);
    expect(report.inputs).toStrictEqual([{ ...fileSource(path), bytes: Buffer.from([0x61, 0xff, 0x00, 0x0a]) }]);
  });

  it.each([
    ['a missing file', 'missing.yaml', 78, ': no such file', 'check the path and the volume mount'],
    ['a file it may not read', 'denied', 77, ': permission denied', 'make the file readable by the container user'],
    ['a directory', 'a-dir', 65, ': is a directory', undefined],
    ['a path through a file', 'a-file/x', 78, ': cannot be read (ENOTDIR)', undefined],
  ])('%s: the input, its path and where it was named; what to do', async (_name, relative, exitCode, what, hint) => {
    mkdirSync(join(dir, 'a-dir'), { recursive: true });
    writeFileSync(join(dir, 'a-file'), 'x');
    const path = join(dir, relative);
    const error = await failure(resolve([fileSource(path)], access(never).aws));
    expect({ exitCode: error.exitCode, message: error.message, hint: error.hint }).toEqual({
      exitCode,
      message: `PIPED_CONFIG (file ${path} from env PIPED_CONFIG_FILE)${what}`,
      hint,
    });
  });

  it('fetches the references once, marks the one that holds SecretBinary, and closes the transport', async () => {
    const { aws, seen } = access((request) => {
      expect(request.operation).toBe('BatchGetSecretValue');
      return {
        SecretValues: [
          { ARN: A, Name: 'a', SecretString: 'config' },
          { ARN: B, Name: 'b', SecretBinary: Buffer.from([0xde, 0xad]).toString('base64') },
        ],
        Errors: [],
      };
    });
    const sources = [secretSource(INPUTS.pipedConfig, A), secretSource(INPUTS.pipedKey, B)];
    const report = await resolve(sources, aws);
    expect(report).toStrictEqual({
      inputs: [
        { ...sources[0], bytes: Buffer.from('config') },
        { ...sources[1], bytes: Buffer.from([0xde, 0xad]), secretBinary: true },
      ],
      calls: { BatchGetSecretValue: 1 },
      distinctSecrets: 2,
      batchDenied: false,
      batchThrottled: false,
      client: 'fast',
    });
    expect(seen).toEqual({ regions: [['us-east-1']], closed: 1, sent: ['BatchGetSecretValue us-east-1'] });
  });

  it('reports a batch that was refused or throttled', async () => {
    const single = (request: AwsRequest) => ({ ARN: request.input.SecretId, Name: 'x', SecretString: 'v' });
    const refused = access((request) => {
      if (request.operation === 'BatchGetSecretValue') throw new AwsCallError('AccessDeniedException', 400, undefined, 'no');
      return single(request);
    });
    const throttled = access((request) => {
      if (request.operation === 'BatchGetSecretValue') throw new AwsCallError('ThrottlingException', 400, undefined, 'slow');
      return single(request);
    });
    const sources = [secretSource(INPUTS.pipedConfig, A), secretSource(INPUTS.pipedKey, B)];
    const r1 = await resolve(sources, refused.aws);
    const r2 = await resolve(sources, throttled.aws);
    expect([r1.batchDenied, r1.batchThrottled, r2.batchDenied, r2.batchThrottled]).toEqual([true, false, false, true]);
    expect([refused.seen.closed, throttled.seen.closed]).toEqual([1, 1]);
  });

  it('closes the transport also when a fetch fails', async () => {
    const { aws, seen } = access(() => {
      throw new AwsCallError('ResourceNotFoundException', 400, undefined, 'not found');
    });
    await failure(resolve([secretSource(INPUTS.pipedConfig, A)], aws));
    expect(seen.closed).toBe(1);
  });

  it('opens the transport for the regions of the references, a bare name in the default region', async () => {
    const answer = (request: AwsRequest) => ({ ARN: request.input.SecretId, Name: 'x', SecretString: 'v' });
    const withDefault = access(answer, 'eu-west-1');
    await resolve([secretSource(INPUTS.pipedConfig, A), secretSource(INPUTS.pipedKey, 'pipecd/key')], withDefault.aws);
    expect(withDefault.seen.regions).toEqual([['us-east-1', 'eu-west-1']]);
  });

  it('a bare name without a default region is refused before any transport is opened (no client loaded for nothing)', async () => {
    const withoutDefault = access(never);
    const error = await failure(
      resolve([secretSource(INPUTS.pipedConfig, A), secretSource(INPUTS.pipedKey, 'pipecd/key')], withoutDefault.aws),
    );
    expect({ exitCode: error.exitCode, message: error.message, hint: error.hint }).toEqual({
      exitCode: 64,
      message: 'secret pipecd/key: no AWS region for a secret given by name',
      hint: 'set AWS_REGION, or use the full ARN',
    });
    expect(withoutDefault.seen).toEqual({ regions: [], closed: 0, sent: [] });
  });
});
