import { describe, expect, it } from 'vitest';
import { parseSecretRef } from '../../src/secrets/reference.js';

/** The reference grammar from a table: Secrets Manager as ECS writes it, SSM parameters by ARN or by `ssm:NAME`. */
const ACCEPTED = [
  {
    text: 'arn:aws:ssm:eu-west-1:123456789012:parameter/pipecd/config',
    ref: { service: 'ssm', name: '/pipecd/config', parameter: '/pipecd/config', region: 'eu-west-1', partition: 'aws' },
  },
  {
    text: 'arn:aws-cn:ssm:cn-north-1:123456789012:parameter/flat',
    ref: { service: 'ssm', name: 'flat', parameter: 'flat', region: 'cn-north-1', partition: 'aws-cn' },
  },
  {
    text: 'arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/a/b.c_d-e:7',
    ref: { service: 'ssm', name: '/a/b.c_d-e:7', parameter: '/a/b.c_d-e', region: 'us-gov-west-1', partition: 'aws-us-gov' },
  },
  {
    text: 'ssm:/pipecd/config',
    ref: { service: 'ssm', name: '/pipecd/config', parameter: '/pipecd/config', region: undefined, partition: undefined },
  },
  {
    text: 'ssm:/pipecd/config:live',
    ref: { service: 'ssm', name: '/pipecd/config:live', parameter: '/pipecd/config', region: undefined, partition: undefined },
  },
  { text: 'ssm:plain:12', ref: { service: 'ssm', name: 'plain:12', parameter: 'plain', region: undefined, partition: undefined } },
  { text: 'ssm:plain:live-2', ref: { service: 'ssm', name: 'plain:live-2', parameter: 'plain', region: undefined, partition: undefined } },
  { text: 'ssm:plain:_aws', ref: { service: 'ssm', name: 'plain:_aws', parameter: 'plain', region: undefined, partition: undefined } },
  {
    text: 'ssm:plain:live.aws',
    ref: { service: 'ssm', name: 'plain:live.aws', parameter: 'plain', region: undefined, partition: undefined },
  },
  {
    text: 'pipecd/cp',
    ref: {
      service: 'secretsmanager',
      secretId: 'pipecd/cp',
      region: undefined,
      jsonKey: undefined,
      versionStage: undefined,
      versionId: undefined,
    },
  },
  {
    text: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cp-AbCdEf:config:AWSPREVIOUS:',
    ref: {
      service: 'secretsmanager',
      secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cp-AbCdEf',
      region: 'us-east-1',
      jsonKey: 'config',
      versionStage: 'AWSPREVIOUS',
      versionId: undefined,
    },
  },
] as const;

const REFUSED = [
  {
    text: 'arn:aws:ssm:us-east-1:123456789012:parameter/',
    reason: 'is not an SSM parameter ARN (arn:aws|aws-cn|aws-us-gov:ssm:REGION:ACCOUNT:parameter/NAME)',
  },
  {
    text: 'arn:aws:ssm:us-east-1:12345:parameter/x',
    reason: 'is not an SSM parameter ARN (arn:aws|aws-cn|aws-us-gov:ssm:REGION:ACCOUNT:parameter/NAME)',
  },
  {
    text: 'arn:aws:ssm:us-east-1:123456789012:document/x',
    reason: 'is not an SSM parameter ARN (arn:aws|aws-cn|aws-us-gov:ssm:REGION:ACCOUNT:parameter/NAME)',
  },
  { text: 'arn:aws:ssm:us-east-1:123456789012:parameter/x:1:2', reason: 'has more than NAME:VERSION-or-LABEL after the parameter' },
  { text: 'ssm:', reason: 'names no valid SSM parameter (letters, digits, _.- and / between hierarchy levels)' },
  { text: 'ssm:a b', reason: 'names no valid SSM parameter (letters, digits, _.- and / between hierarchy levels)' },
  { text: 'ssm:/a//b', reason: 'names no valid SSM parameter (letters, digits, _.- and / between hierarchy levels)' },
  { text: 'ssm:/a/', reason: 'names no valid SSM parameter (letters, digits, _.- and / between hierarchy levels)' },
  { text: 'ssm:/a:', reason: 'has a parameter selector that is neither a version nor a label' },
  { text: 'ssm:/a:l@bel', reason: 'has a parameter selector that is neither a version nor a label' },
  // SSM attaches no label that begins with a digit, `aws` or `ssm` (any case): such a selector names nothing.
  { text: 'ssm:/a:2a', reason: 'has a parameter selector that is neither a version nor a label' },
  { text: 'ssm:/a:aws-live', reason: 'has a parameter selector that is neither a version nor a label' },
  { text: 'ssm:/a:SSM_live', reason: 'has a parameter selector that is neither a version nor a label' },
  { text: 'arn:aws:ssm:us-east-1:123456789012:parameter/x:Aws', reason: 'has a parameter selector that is neither a version nor a label' },
  { text: 'name:k:AWSCURRENT:id:extra', reason: 'has more than ARN-or-name:json-key:version-stage:version-id' },
  { text: 'name:k :AWSCURRENT', reason: 'has white space in a field' },
] as const;

describe('reference parsing (in-process table)', () => {
  it.each(ACCEPTED)('$text', ({ text, ref }) => {
    expect(parseSecretRef(text)).toEqual({ ok: true, ref: { text, ...ref } });
  });

  it.each(REFUSED)('refuses $text', ({ text, reason }) => {
    const parsed = parseSecretRef(text);
    expect(parsed).toEqual({ ok: false, reason, hint: expect.any(String) });
    if (!parsed.ok)
      expect(parsed.hint).toBe(
        text.startsWith('ssm:') || text.includes(':ssm:')
          ? 'use arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME[:VERSION-or-LABEL] or ssm:NAME[:VERSION-or-LABEL]'
          : 'use ARN-or-name[:json-key[:version-stage[:version-id]]]',
      );
  });
});
