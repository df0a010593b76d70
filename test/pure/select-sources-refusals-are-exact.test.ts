import { describe, expect, it } from 'vitest';
import { BootstrapError } from '../../src/errors.js';
import { selectSources } from '../../src/inputs/select-sources.js';
import type { Env, Flags } from '../../src/inputs/settings.js';
import { ROLES } from '../../src/roles/index.js';

const noRaw = () => undefined;

function refusal(env: Env, flags: Flags = {}, raw: () => ReadonlyMap<string, Buffer> | undefined = noRaw) {
  let error: unknown;
  try {
    selectSources(ROLES.piped, { PIPED_CONFIG: 'kind: Piped', ...env }, flags, raw);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(BootstrapError);
  const { exitCode, message, hint } = error as BootstrapError;
  return { exitCode, message, hint };
}

/** What each refusal of selectSources says, whole: the input, where it was given, why, and what to do. */
describe('selectSources refuses, naming the input and the place, never the value', () => {
  it('a value that is not UTF-8 where the platform shows no byte-exact environment', () => {
    expect(refusal({ PIPED_KEY: 'key\uFFFD' })).toEqual({
      exitCode: 65,
      message: 'PIPED_KEY (env PIPED_KEY): is not UTF-8, and this platform shows no byte-exact environment',
      hint: 'give it as PIPED_KEY_FILE or PIPED_KEY_SECRET',
    });
  });

  it('a value that is not UTF-8 is taken byte for byte from the raw environment', () => {
    const bytes = Buffer.from([0x6b, 0xff]);
    const request = selectSources(
      ROLES.piped,
      { PIPED_CONFIG: 'kind: Piped', PIPED_KEY: 'k\uFFFD' },
      {},
      () => new Map([['PIPED_KEY', bytes]]),
    );
    expect(request.sources.map((s) => [s.spec.name, s.value])).toEqual([
      ['PIPED_CONFIG', Buffer.from('kind: Piped')],
      ['PIPED_KEY', bytes],
    ]);
  });

  it('a value given where a reference belongs (env)', () => {
    expect(refusal({ PIPED_KEY_SECRET: 'a1b2c3d4e5f6g7h8i9j0' })).toEqual({
      exitCode: 65,
      message:
        'PIPED_KEY: env PIPED_KEY_SECRET looks like a random value (a long run of letters and digits), so it is taken for a value and not shown',
      hint: 'did you mean PIPED_KEY? env PIPED_KEY_SECRET takes an ARN or a name; PIPED_KEY takes the value itself',
    });
  });

  it('a value given where a reference belongs (flag)', () => {
    expect(refusal({}, { 'piped-key-secret': 'key with spaces' })).toEqual({
      exitCode: 65,
      message:
        'PIPED_KEY: --piped-key-secret has white space, a line break or a character that no name has, so it is taken for a value and not shown',
      hint: 'did you mean PIPED_KEY? --piped-key-secret takes an ARN or a name; PIPED_KEY takes the value itself',
    });
  });

  it('a value given where a path belongs', () => {
    expect(refusal({}, { 'piped-key-file': '-----BEGIN KEY-----\nabc' })).toEqual({
      exitCode: 65,
      message: 'PIPED_KEY: --piped-key-file has a line break, a tab or another control character, so it is taken for a value and not shown',
      hint: 'did you mean PIPED_KEY? --piped-key-file takes the path of a file; PIPED_KEY takes the value itself',
    });
  });

  it('a reference that passes for one but that the parser refuses: its reason and hint', () => {
    expect(refusal({ PIPED_KEY_SECRET: 'arn:aws:s3:::bucket' })).toEqual({
      exitCode: 65,
      message: 'PIPED_KEY: env PIPED_KEY_SECRET is not a Secrets Manager ARN (arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME)',
      hint: 'use ARN-or-name[:json-key[:version-stage[:version-id]]]',
    });
  });
});
