import { describe, expect, it } from 'vitest';
import type { ResolvedInput } from '../../src/domain.js';
import { INPUTS } from '../../src/inputs/catalog.js';
import { ownSource } from '../../src/render/own-source.js';
import { ref } from '../helpers/refs.js';

/**
 * When the launcher cannot be handed its config's source, the reason goes into the warning or the
 * refusal the user reads, so it must say exactly what is wrong: a pinned version id as much as a
 * stage, a region that is missing on either side by name, and a value Go's base64 reader would
 * stop at, even when only its first byte is wrong.
 */

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:piped-AbCdEf';
const BASE64 = Buffer.from(Buffer.from('kind: Piped\n').toString('base64'));

const fromSecret = (text: string, bytes = BASE64): ResolvedInput => ({
  spec: INPUTS.pipedConfig,
  origin: { type: 'secret', ref: ref(text), via: 'env PIPED_CONFIG_SECRET' },
  encoding: 'auto',
  bytes,
});

describe('ownSource: the reasons it gives', () => {
  it.each([
    [
      'a pinned version id',
      fromSecret(`${ARN}:::01234567-89ab-cdef-0123-456789abcdef`),
      'us-east-1',
      'the reference pins a version, and the launcher reads the current one',
    ],
    [
      'a name with no region on either side',
      fromSecret('piped'),
      undefined,
      "the reference is in no region, and the launcher's AWS SDK uses no region (AWS_REGION)",
    ],
    [
      'an ARN with no SDK region',
      fromSecret(ARN),
      undefined,
      "the reference is in us-east-1, and the launcher's AWS SDK uses no region (AWS_REGION)",
    ],
    [
      'base64 after a leading space',
      fromSecret(ARN, Buffer.concat([Buffer.from(' '), BASE64])),
      'us-east-1',
      'the value is not base64 of the YAML, which is what the launcher (like piped --config-aws-secret) reads',
    ],
    [
      'base64 after a byte outside its alphabet',
      fromSecret(ARN, Buffer.concat([Buffer.from('*'), BASE64])),
      'us-east-1',
      'the value is not base64 of the YAML, which is what the launcher (like piped --config-aws-secret) reads',
    ],
  ])('%s', (_what, input, sdkRegion, reason) => {
    expect(ownSource(input, true, undefined, sdkRegion)).toEqual({ ok: false, reason, reloadLost: true });
  });

  it('base64 broken by line breaks, which Go skips, is handed over', () => {
    const wrapped = Buffer.from(`${BASE64.toString().slice(0, 8)}\r\n${BASE64.toString().slice(8)}\n`);
    expect(ownSource(fromSecret(ARN, wrapped), true, undefined, 'us-east-1')).toEqual({
      ok: true,
      location: { kind: 'secretsmanager', secretId: ARN },
    });
  });
});
