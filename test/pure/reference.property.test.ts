import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fetchKey } from '../../src/secrets/plan.js';
import { parseSecretRef } from '../../src/secrets/reference.js';

const NAME_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_+=.@-'.split('');
const name = fc.array(fc.constantFrom(...NAME_CHARS), { minLength: 1, maxLength: 40 }).map((c) => c.join(''));
const field = fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/), { nil: undefined });
const region = fc.constantFrom('us-east-1', 'ap-northeast-1', 'eu-central-2', 'us-gov-west-1', 'cn-north-1');
const partition = fc.constantFrom('aws', 'aws-cn', 'aws-us-gov');
const account = fc.stringMatching(/^\d{12}$/);

describe('the reference parser (pure, property-based)', () => {
  it('ARN[:json-key[:version-stage[:version-id]]] round-trips, with empty fields as in ECS', () => {
    fc.assert(
      fc.property(partition, region, account, name, field, field, (p, r, a, n, jsonKey, stage) => {
        const arn = `arn:${p}:secretsmanager:${r}:${a}:secret:${n}`;
        const text = stage !== undefined ? `${arn}:${jsonKey ?? ''}:${stage}:` : jsonKey !== undefined ? `${arn}:${jsonKey}` : arn;
        const parsed = parseSecretRef(text);
        expect(parsed).toEqual({
          ok: true,
          ref: { service: 'secretsmanager', text, secretId: arn, region: r, jsonKey, versionStage: stage, versionId: undefined },
        });
      }),
    );
  });

  it('a bare name has no region and keeps its fields', () => {
    fc.assert(
      fc.property(name, field, field, (n, jsonKey, versionId) => {
        const text = `${n}:${jsonKey ?? ''}::${versionId ?? ''}`;
        const parsed = parseSecretRef(text);
        expect(parsed.ok && parsed.ref).toEqual({
          service: 'secretsmanager',
          text,
          secretId: n,
          region: undefined,
          jsonKey,
          versionStage: undefined,
          versionId,
        });
      }),
    );
  });

  it('references to the same secret version share one fetch whatever their JSON keys', () => {
    fc.assert(
      fc.property(name, field, field, (n, k1, k2) => {
        const a = parseSecretRef(`${n}:${k1 ?? ''}`);
        const b = parseSecretRef(`${n}:${k2 ?? ''}`);
        expect(a.ok && b.ok && fetchKey(a.ref) === fetchKey(b.ref)).toBe(true);
      }),
    );
  });

  it('refuses what ECS would refuse', () => {
    for (const bad of [
      '',
      'arn:aws:secretsmanager:us-east-1:123:secret:x',
      'arn:aws:s3:us-east-1:123456789012:secret:x',
      'arn:aws-iso:secretsmanager:us-east-1:123456789012:secret:x',
      'arn:aws:secretsmanager:us-east-1:123456789012:parameter:x',
      'name with space',
      'name:k:AWSCURRENT:id:extra',
      'name::AWSCURRENT:some-id',
    ]) {
      expect(parseSecretRef(bad).ok, bad).toBe(false);
    }
  });
});
