import { describe, expect, it } from 'vitest';
import { fetchKey, parseSecretRef } from '../../src/secrets/reference.js';

const ARN = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:pipecd/key-AbCdEf';

/** [text, secretId, region, jsonKey, versionStage, versionId]. */
const PARSED = [
  [ARN, ARN, 'ap-northeast-1', undefined, undefined, undefined],
  [`${ARN}:key`, ARN, 'ap-northeast-1', 'key', undefined, undefined],
  [`${ARN}::AWSPREVIOUS`, ARN, 'ap-northeast-1', undefined, 'AWSPREVIOUS', undefined],
  [`${ARN}:::v-1`, ARN, 'ap-northeast-1', undefined, undefined, 'v-1'],
  [`${ARN}:::`, ARN, 'ap-northeast-1', undefined, undefined, undefined],
  [
    'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x',
    'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x',
    'cn-north-1',
    undefined,
    undefined,
    undefined,
  ],
  [
    'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x:k',
    'arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x',
    'us-gov-west-1',
    'k',
    undefined,
    undefined,
  ],
  ['pipecd/config', 'pipecd/config', undefined, undefined, undefined, undefined],
  ['name:key:AWSCURRENT', 'name', undefined, 'key', 'AWSCURRENT', undefined],
  ['a_b+c=d.e@f-g', 'a_b+c=d.e@f-g', undefined, undefined, undefined, undefined],
  ['n:ключ', 'n', undefined, 'ключ', undefined, undefined],
  [
    'arn:aws:secretsmanager:ap-southeast-10:123456789012:secret:x',
    'arn:aws:secretsmanager:ap-southeast-10:123456789012:secret:x',
    'ap-southeast-10',
    undefined,
    undefined,
    undefined,
  ],
] as const;

/** [what, text, reason]. */
const REFUSED = [
  ['an empty reference', '', 'is neither a Secrets Manager ARN nor a secret name (letters, digits and /_+=.@-)'],
  [
    'an ARN cut short',
    'arn:aws:secretsmanager:us-east-1',
    'is not a Secrets Manager ARN (arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME)',
  ],
  [
    'an ARN of another service',
    'arn:aws:ssm:us-east-1:123456789012:secret:x',
    'is not a Secrets Manager ARN (arn:aws|aws-cn|aws-us-gov:secretsmanager:REGION:ACCOUNT:secret:NAME)',
  ],
  [
    'an account of 11 digits',
    'arn:aws:secretsmanager:us-east-1:12345678901:secret:x',
    'is not a Secrets Manager ARN (arn:aws|aws-cn|aws-us-gov:secretsmanager:REGION:ACCOUNT:secret:NAME)',
  ],
  [
    'a region without its number',
    'arn:aws:secretsmanager:us-east:123456789012:secret:x',
    'is not a Secrets Manager ARN (arn:aws|aws-cn|aws-us-gov:secretsmanager:REGION:ACCOUNT:secret:NAME)',
  ],
  [
    'an upper-case region',
    'arn:aws:secretsmanager:US-EAST-1:123456789012:secret:x',
    'is not a Secrets Manager ARN (arn:aws|aws-cn|aws-us-gov:secretsmanager:REGION:ACCOUNT:secret:NAME)',
  ],
  [
    'a character no secret name has, in the ARN',
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:bad!name',
    'is not a Secrets Manager ARN (arn:aws|aws-cn|aws-us-gov:secretsmanager:REGION:ACCOUNT:secret:NAME)',
  ],
  [
    'an empty secret name in the ARN',
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:',
    'is not a Secrets Manager ARN (arn:aws|aws-cn|aws-us-gov:secretsmanager:REGION:ACCOUNT:secret:NAME)',
  ],
  [
    'junk before the ARN',
    'xarn:aws:secretsmanager:us-east-1:123456789012:secret:x',
    'has more than ARN-or-name:json-key:version-stage:version-id',
  ],
  ['a name with a space', 'my secret', 'is neither a Secrets Manager ARN nor a secret name (letters, digits and /_+=.@-)'],
  ['a name of 513 characters', 'a'.repeat(513), 'is neither a Secrets Manager ARN nor a secret name (letters, digits and /_+=.@-)'],
  ['a space in the JSON key', 'name: key', 'has white space in a field'],
  ['a tab in the version stage', 'name:key:\tAWSCURRENT', 'has white space in a field'],
  ['a newline after the version id', `${ARN}:::v1\n`, 'has white space in a field'],
  ['five fields', 'name:k:s:i:x', 'has more than ARN-or-name:json-key:version-stage:version-id'],
  ['both a stage and an id', `${ARN}::AWSCURRENT:v1`, 'names both a version stage and a version id; give one'],
] as const;

describe('parseSecretRef', () => {
  it.each(PARSED)('%s', (text, secretId, region, jsonKey, versionStage, versionId) => {
    expect(parseSecretRef(text)).toEqual({ ok: true, ref: { text, secretId, region, jsonKey, versionStage, versionId } });
  });

  it('a name of 512 characters is a name', () => {
    expect(parseSecretRef('a'.repeat(512)).ok).toBe(true);
  });

  it.each(REFUSED)('refuses %s', (_what, text, reason) => {
    expect(parseSecretRef(text)).toEqual({ ok: false, reason });
  });
});

describe('fetchKey', () => {
  const key = (text: string) => {
    const parsed = parseSecretRef(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    return fetchKey(parsed.ref);
  };

  it('is the region, the id and the version: JSON keys do not count', () => {
    expect(key(`${ARN}:a`)).toBe(JSON.stringify(['ap-northeast-1', ARN, '', '']));
    expect(key(`${ARN}:b`)).toBe(key(ARN));
    expect(key('n:k:AWSPENDING')).toBe(JSON.stringify(['', 'n', 'AWSPENDING', '']));
    expect(key('n:::v1')).toBe(JSON.stringify(['', 'n', '', 'v1']));
  });

  it('tells apart versions, stages and regions', () => {
    const keys = [
      ARN,
      `${ARN}::AWSPREVIOUS`,
      `${ARN}:::v1`,
      ARN.replace('ap-northeast-1', 'eu-west-1'),
      'n',
      'n::AWSPREVIOUS',
      'n:::AWSPREVIOUS',
    ].map(key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
