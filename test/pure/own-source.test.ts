import { describe, expect, it } from 'vitest';
import type { InputOrigin, ResolvedInput } from '../../src/domain.js';
import { INPUTS } from '../../src/inputs/catalog.js';
import { ownSource } from '../../src/render/own-source.js';
import { ref } from '../helpers/refs.js';

/** Which PIPED_CONFIG sources the launcher can be handed as they are, and why the others cannot. */
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:piped-AbCdEf';
const BASE64 = Buffer.from(Buffer.from('kind: Piped\n').toString('base64'));

const secret = (text: string): InputOrigin => ({ type: 'secret', ref: ref(text), via: 'env PIPED_CONFIG_SECRET' });
const input = (origin: InputOrigin, bytes = BASE64, secretBinary = false): ResolvedInput => ({
  spec: INPUTS.pipedConfig,
  origin,
  encoding: 'auto',
  bytes,
  ...(secretBinary ? { secretBinary } : {}),
});

const CASES: [string, ResolvedInput, boolean, string | undefined, string | undefined, unknown][] = [
  ['a plain ARN in the SDK region', input(secret(ARN)), true, undefined, 'us-east-1', { kind: 'secretsmanager', secretId: ARN }],
  ['a name', input(secret('piped')), true, undefined, 'eu-west-1', { kind: 'secretsmanager', secretId: 'piped' }],
  ['an ARN of another region', input(secret(ARN)), true, undefined, 'eu-west-1', /in us-east-1.*uses eu-west-1/],
  ['a name with no SDK region', input(secret('piped')), true, undefined, undefined, /no region/],
  ['a JSON key', input(secret(`${ARN}:config`)), true, undefined, 'us-east-1', /JSON key/],
  ['a version stage', input(secret(`${ARN}::AWSPREVIOUS`)), true, undefined, 'us-east-1', /pins a version/],
  ['SecretBinary', input(secret(ARN), BASE64, true), true, undefined, 'us-east-1', /SecretBinary/],
  ['raw YAML', input(secret(ARN), Buffer.from('kind: Piped\n')), false, undefined, 'us-east-1', /not base64/],
  // Our strict base64 ignores surrounding blanks; Go's StdEncoding skips only line breaks.
  [
    'base64 with a trailing space',
    input(secret(ARN), Buffer.concat([BASE64, Buffer.from(' ')])),
    true,
    undefined,
    'us-east-1',
    /not base64/,
  ],
  ['a rewritten config', input(secret(ARN)), true, 'spec.pipedKeyFile is set', 'us-east-1', /rewritten: spec.pipedKeyFile/],
  ['an SSM parameter', input(secret('ssm:/pipecd/piped')), true, undefined, 'us-east-1', { kind: 'ssm', name: '/pipecd/piped' }],
  [
    'an SSM parameter ARN in the SDK region',
    input(secret('arn:aws:ssm:us-east-1:123456789012:parameter/pipecd/piped')),
    true,
    undefined,
    'us-east-1',
    { kind: 'ssm', name: '/pipecd/piped' },
  ],
  ['an SSM parameter with a label', input(secret('ssm:/pipecd/piped:live')), true, undefined, 'us-east-1', /pins a version or label/],
  [
    'a YAML file',
    input({ type: 'file', path: '/etc/piped.yaml', via: 'env PIPED_CONFIG_FILE' }),
    false,
    undefined,
    undefined,
    { kind: 'file', path: '/etc/piped.yaml' },
  ],
  [
    'a base64 file',
    input({ type: 'file', path: '/etc/piped.b64', via: 'env PIPED_CONFIG_FILE' }),
    true,
    undefined,
    undefined,
    /holds base64/,
  ],
  ['a relative file', input({ type: 'file', path: 'piped.yaml', via: '--piped-config-file' }), false, undefined, undefined, /relative/],
  ['the environment', input({ type: 'env', variable: 'PIPED_CONFIG' }), false, undefined, 'us-east-1', /environment/],
];

describe('ownSource (pure): the launcher is handed what it can read itself, and nothing else', () => {
  it.each(CASES)('%s', (_, resolved, decodedBase64, rewritten, region, expected) => {
    const own = ownSource(resolved, decodedBase64, rewritten, region);
    if (expected instanceof RegExp) {
      expect(own.ok).toBe(false);
      expect(own.ok ? '' : own.reason).toMatch(expected);
    } else expect(own).toEqual({ ok: true, location: expected });
  });

  it('only sources that could change while the program runs lose a reload', () => {
    const env = ownSource(input({ type: 'env', variable: 'PIPED_CONFIG' }), false, undefined, undefined);
    const json = ownSource(input(secret(`${ARN}:config`)), true, undefined, 'us-east-1');
    expect([env.ok || env.reloadLost, json.ok || json.reloadLost]).toEqual([false, true]);
  });
});
