import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InputSource, SecretRef } from '../../src/domain.js';
import { BootstrapError } from '../../src/errors.js';
import { INPUTS } from '../../src/inputs/catalog.js';
import { resolveInputs, type LoadSecretsClient } from '../../src/inputs/resolve-inputs.js';
import { fetchKey, parseSecretRef } from '../../src/secrets/reference.js';
import type { SecretPayload } from '../../src/secrets/secret-value.js';

const dir = mkdtempSync(join(tmpdir(), 'resolve-inputs-'));
const file = (name: string, bytes: Buffer | string) => {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
};
const ref = (text: string): SecretRef => {
  const parsed = parseSecretRef(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.ref;
};

/**
 * The AWS edge is a parameter of resolveInputs; here it is a table of payloads, so that the mapping
 * from fetched secrets to inputs is tested in-process. The real edge against moto_server is tested
 * by the process tests (secret-references, secret-faults).
 */
function edge(payloads: Record<string, SecretPayload>, seen: SecretRef[][] = []): LoadSecretsClient {
  return async () =>
    ({
      fetchSecrets: async (refs: readonly SecretRef[]) => {
        seen.push([...refs]);
        return { payloads: new Map(refs.map((r) => [fetchKey(r), payloads[r.secretId]!])), calls: 1, batchDenied: true };
      },
    }) as unknown as Awaited<ReturnType<LoadSecretsClient>>;
}
const noEdge: LoadSecretsClient = async () => {
  throw new Error('the AWS edge must not be loaded without a reference');
};
const signal = new AbortController().signal;

describe('resolveInputs', () => {
  it('env values as they are and files byte for byte, without loading the AWS edge', async () => {
    const bytes = Buffer.from([0, 1, 2, 0xff, 0x0a]);
    const sources: InputSource[] = [
      { spec: INPUTS.pipedConfig, origin: { type: 'env', variable: 'PIPED_CONFIG' }, encoding: 'auto', value: Buffer.from('a: b') },
      { spec: INPUTS.pipedKey, origin: { type: 'file', path: file('key', bytes), via: '--piped-key-file' }, encoding: 'raw' },
    ];
    const report = await resolveInputs(sources, signal, 1000, noEdge);
    expect(report).toEqual({
      inputs: [
        { spec: INPUTS.pipedConfig, origin: sources[0]!.origin, encoding: 'auto', bytes: Buffer.from('a: b') },
        { spec: INPUTS.pipedKey, origin: sources[1]!.origin, encoding: 'raw', bytes },
      ],
      secretCalls: 0,
      distinctSecrets: 0,
      batchDenied: false,
    });
  });

  it('an env source without a value is empty bytes', async () => {
    const sources: InputSource[] = [{ spec: INPUTS.pipedKey, origin: { type: 'env', variable: 'PIPED_KEY' }, encoding: 'raw' }];
    expect((await resolveInputs(sources, signal, 1000, noEdge)).inputs[0]!.bytes).toEqual(Buffer.alloc(0));
  });

  it("secrets: one fetch for every reference, each input its own JSON key, and the edge's counts reported", async () => {
    const seen: SecretRef[][] = [];
    const config = ref('pipecd:config');
    const key = ref('pipecd:key');
    const sources: InputSource[] = [
      { spec: INPUTS.pipedConfig, origin: { type: 'secret', ref: config, via: '--piped-config-secret' }, encoding: 'auto' },
      { spec: INPUTS.pipedKey, origin: { type: 'secret', ref: key, via: '--piped-key-secret' }, encoding: 'raw' },
    ];
    const report = await resolveInputs(
      sources,
      signal,
      1000,
      edge({ pipecd: { secretString: '{"config":"a: b","key":"k1"}', secretBinary: undefined } }, seen),
    );
    expect(seen).toEqual([[config, key]]);
    expect(report.inputs.map((i) => i.bytes.toString())).toEqual(['a: b', 'k1']);
    expect({ calls: report.secretCalls, distinct: report.distinctSecrets, denied: report.batchDenied }).toEqual({
      calls: 1,
      distinct: 1,
      denied: true,
    });
  });

  it('a JSON key missing from the secret names the input and the reference', async () => {
    const sources: InputSource[] = [
      { spec: INPUTS.pipedKey, origin: { type: 'secret', ref: ref('pipecd:nokey'), via: 'env PIPED_KEY_SECRET' }, encoding: 'raw' },
    ];
    await expect(
      resolveInputs(sources, signal, 1000, edge({ pipecd: { secretString: '{"key":"x"}', secretBinary: undefined } })),
    ).rejects.toThrow(
      new BootstrapError(
        65,
        `PIPED_KEY (secret pipecd:nokey from env PIPED_KEY_SECRET): the secret's JSON object has no key "nokey"`,
        'check the key name; keys are case-sensitive',
      ),
    );
  });

  const unreadable = join(dir, 'not-a-dir');
  writeFileSync(unreadable, '');
  const directory = join(dir, 'a-directory');
  mkdirSync(directory);

  it.each([
    ['a missing file', join(dir, 'missing'), 78, 'no such file', 'check the path and the volume mount'],
    ['a directory', directory, 65, 'is a directory', undefined],
    ['a path through a file', join(unreadable, 'x'), 78, 'cannot be read (ENOTDIR)', undefined],
  ])('%s is refused with its own exit code', async (_what, path, exitCode, why, hint) => {
    const sources: InputSource[] = [
      { spec: INPUTS.envoyConfig, origin: { type: 'file', path, via: '--envoy-config-file' }, encoding: 'auto' },
    ];
    const error = await resolveInputs(sources, signal, 1000, noEdge).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BootstrapError);
    const { exitCode: code, message, hint: h } = error as BootstrapError;
    expect({ code, message, hint: h }).toEqual({
      code: exitCode,
      message: `ENVOY_CONFIG (file ${path} from --envoy-config-file): ${why}`,
      hint,
    });
  });
});
