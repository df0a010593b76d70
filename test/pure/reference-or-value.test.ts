import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pathOrValue, referenceOrValue } from '../../src/inputs/reference-or-value.js';

/** `length` bytes that look uniform, the same for the same seed: SHA-256 of the seed and a counter. */
function uniformBytes(seed: number, length: number): Buffer {
  const blocks = Array.from({ length: Math.ceil(length / 32) }, (_, i) => createHash('sha256').update(`${seed}:${i}`).digest());
  return Buffer.concat(blocks).subarray(0, length);
}

/** The rule is pure; these tables are the README's examples of what it takes for a reference and for a value. */
const REFERENCES = [
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:pipecd/cp-AbCdEf',
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:pipecd/cp-AbCdEf:config',
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:pipecd/cp-AbCdEf::AWSPREVIOUS',
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:pipecd/cp-AbCdEf:::01234567-89ab-cdef-0123-456789abcdef',
  'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:cp',
  'arn:aws:ssm:us-east-1:123456789012:parameter/pipecd/control-plane-config',
  'arn:aws:ssm:us-east-1:123456789012:parameter/pipecd/control-plane-config:3',
  '/pipecd/prod/encryption-key',
  '/pipecd/prod/encryption-key:3',
  'pipecd-encryption-key:prod',
  'pipecd/cp',
  'PipecdControlPlaneConfig2024',
  'ssm:/pipecd-3f9a0c7e21/users:1',
  '/Pipecd/ControlPlane/Config2024',
  'prod.pipecd@team+ops=1',
];

const VALUES = [
  [
    'a key as the ECS guide makes it (openssl rand 64 | base64)',
    `${randomBytes(48).toString('base64')}\n${randomBytes(16).toString('base64')}`,
  ],
  ['openssl rand -base64 32', 'q3Ck8Wm0Vb5rLw9Yd1s7Zt2Xg6Hn4Jp0Ue8Fa3Ri5Ko='],
  ['openssl rand -hex 32', '3f9a0c7e21d84b56a0e9f3c2d71b8e4a5c6d7e8f90a1b2c3d4e5f60718293a4b'],
  ['a YAML config', 'apiVersion: pipecd.dev/v1beta1\nkind: ControlPlane\n'],
  ['a one-line YAML', 'kind: Piped'],
  ['JSON', '{"config":"x"}'],
  ['a PEM key', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----'],
  ['a value with a tab', 'pass\tword'],
  ['non-ASCII', 'pässwörd-pässwörd'],
  ['longer than any ARN', `a/${'b'.repeat(2100)}`],
] as const;

describe('a reference or a value (pure)', () => {
  it.each(REFERENCES)('%s is a reference', (text) => {
    expect(referenceOrValue(text)).toEqual({ ok: true });
  });

  it.each(VALUES)('%s is a value', (_name, text) => {
    expect(referenceOrValue(text).ok).toBe(false);
  });

  it('random keys of 32 bytes or more in base64 are not taken for a reference', () => {
    // Uniform bytes, as a key generator makes them (fast-check's arrays favour small, repeated bytes),
    // drawn from a fixed seed: about 1 key in 50,000 does pass as a name (README), so fresh random
    // draws of 2,000 would fail one run in 28 without any change to the code.
    fc.assert(
      fc.property(fc.integer({ min: 32, max: 96 }), fc.nat(), (length, seed) => {
        expect(referenceOrValue(uniformBytes(seed, length).toString('base64')).ok).toBe(false);
      }),
      { numRuns: 2000, seed: 20261124 },
    );
  });

  it('the reason never quotes the text', () => {
    for (const [, text] of VALUES) {
      const verdict = referenceOrValue(text);
      expect(verdict.ok === false && verdict.why.includes(text.slice(0, 8))).toBe(false);
    }
  });

  it.each(['/etc/pipecd/config.yaml', 'config.yaml', './piped-key', '/mnt/my volume/piped.yaml', '/usr/local/bin/pipecd'])(
    '%s is a path',
    (path) => {
      expect(pathOrValue(path)).toEqual({ ok: true });
    },
  );

  it.each(VALUES.filter(([name]) => !['non-ASCII', 'JSON', 'a one-line YAML', 'longer than any ARN'].includes(name)))(
    '%s is not a path',
    (_n, text) => {
      expect(pathOrValue(text).ok).toBe(false);
    },
  );
});
