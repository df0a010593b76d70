import { describe, expect, it } from 'vitest';
import { parseSecretRef } from '../../src/secrets/reference.js';

/**
 * A Secrets Manager reference that cannot be parsed is refused with the reason that fits it: an
 * ARN with too few fields, an ARN whose fields are wrong, a name with characters Secrets Manager
 * does not allow, or both a version stage and a version id. The hint is always the grammar.
 */
const HINT = 'use ARN-or-name[:json-key[:version-stage[:version-id]]]';

describe('Secrets Manager references refused, each with its reason', () => {
  it.each([
    [
      'arn:aws:secretsmanager:us-east-1:123456789012:secret',
      'is not a Secrets Manager ARN (arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME)',
    ],
    ['arn:pipecd', 'is not a Secrets Manager ARN (arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME)'],
    [
      'arn:aws:secretsmanager:us-east-1:12345:secret:cp',
      'is not a Secrets Manager ARN (arn:aws|aws-cn|aws-us-gov:secretsmanager:REGION:ACCOUNT:secret:NAME)',
    ],
    [
      'arn:aws-iso:secretsmanager:us-iso-east-1:123456789012:secret:cp',
      'is not a Secrets Manager ARN (arn:aws|aws-cn|aws-us-gov:secretsmanager:REGION:ACCOUNT:secret:NAME)',
    ],
    ['pipecd cp', 'is neither a Secrets Manager ARN nor a secret name (letters, digits and /_+=.@-)'],
    ['pipecd#cp:key', 'is neither a Secrets Manager ARN nor a secret name (letters, digits and /_+=.@-)'],
    ['pipecd/cp:key:AWSPREVIOUS:v1', 'names both a version stage and a version id; give one'],
  ])('%s: %s', (text, reason) => {
    expect(parseSecretRef(text)).toEqual({ ok: false, reason, hint: HINT });
  });
});

describe('only an ARN can be an SSM parameter ARN', () => {
  it('a secret name whose version stage is "ssm" stays a Secrets Manager reference', () => {
    expect(parseSecretRef('pipecd/cp:key:ssm')).toEqual({
      ok: true,
      ref: {
        service: 'secretsmanager',
        text: 'pipecd/cp:key:ssm',
        secretId: 'pipecd/cp',
        region: undefined,
        jsonKey: 'key',
        versionStage: 'ssm',
        versionId: undefined,
      },
    });
  });
});
