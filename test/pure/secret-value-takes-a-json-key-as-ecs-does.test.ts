import { describe, expect, it } from 'vitest';
import type { SecretRef } from '../../src/domain.js';
import { valueOf, type SecretPayload } from '../../src/secrets/secret-value.js';
import { described, failure } from './support/render.js';

const ref = (jsonKey?: string): SecretRef => ({
  text: 't',
  secretId: 's',
  region: undefined,
  jsonKey,
  versionStage: undefined,
  versionId: undefined,
});
const string = (secretString: string): SecretPayload => ({ secretString, secretBinary: undefined });
const LABEL = 'PIPED_KEY (secret s from env PIPED_KEY_SECRET)';

describe('valueOf', () => {
  it.each([
    ['the whole SecretString, as UTF-8', ref(), string('ключ\n'), Buffer.from('ключ\n')],
    ['an empty SecretString', ref(), string(''), Buffer.alloc(0)],
    ['the whole SecretBinary', ref(), { secretString: undefined, secretBinary: new Uint8Array([0, 255, 10]) }, Buffer.from([0, 255, 10])],
    ['SecretString over SecretBinary', ref(), { secretString: 'text', secretBinary: new Uint8Array([1]) }, Buffer.from('text')],
    ['a JSON key', ref('key'), string('{"key":"v a l u e\\n","other":1}'), Buffer.from('v a l u e\n')],
    ['an empty string under a JSON key', ref('key'), string('{"key":""}'), Buffer.alloc(0)],
    ['a JSON key that is also a prototype name', ref('constructor'), string('{"constructor":"c"}'), Buffer.from('c')],
  ] as const)('%s', (_what, r, payload, bytes) => {
    expect(valueOf(r, payload, LABEL)).toEqual(bytes);
  });

  /** [what, json key, payload, message, hint]: never the JSON, never the value. */
  const REFUSED = [
    [
      'a version with neither value',
      undefined,
      { secretString: undefined, secretBinary: undefined },
      `${LABEL}: the secret version holds neither SecretString nor SecretBinary`,
      undefined,
    ],
    [
      'a JSON key on SecretBinary',
      'key',
      { secretString: undefined, secretBinary: new Uint8Array([1]) },
      `${LABEL}: a JSON key needs a SecretString, but the secret holds SecretBinary`,
      'drop the :json-key part of the reference',
    ],
    [
      'a JSON key on text that is not JSON',
      'key',
      string('password=hunter2'),
      `${LABEL}: the secret is not JSON, so JSON key "key" cannot be read`,
      'drop the :json-key part of the reference, or store a JSON object',
    ],
    [
      'a JSON array',
      'key',
      string('["hunter2"]'),
      `${LABEL}: the secret is JSON but not an object, so JSON key "key" cannot be read`,
      undefined,
    ],
    ['JSON null', 'key', string('null'), `${LABEL}: the secret is JSON but not an object, so JSON key "key" cannot be read`, undefined],
    [
      'a JSON string',
      'key',
      string('"hunter2"'),
      `${LABEL}: the secret is JSON but not an object, so JSON key "key" cannot be read`,
      undefined,
    ],
    [
      'a missing key',
      'Key',
      string('{"key":"hunter2"}'),
      `${LABEL}: the secret's JSON object has no key "Key"`,
      'check the key name; keys are case-sensitive',
    ],
    [
      'an inherited key',
      'toString',
      string('{"key":"hunter2"}'),
      `${LABEL}: the secret's JSON object has no key "toString"`,
      'check the key name; keys are case-sensitive',
    ],
    ['a number', 'key', string('{"key":12345678901}'), `${LABEL}: JSON key "key" holds a number, not a string`, undefined],
    ['a boolean', 'key', string('{"key":true}'), `${LABEL}: JSON key "key" holds a boolean, not a string`, undefined],
    ['null', 'key', string('{"key":null}'), `${LABEL}: JSON key "key" holds a null, not a string`, undefined],
    ['an object', 'key', string('{"key":{"password":"hunter2"}}'), `${LABEL}: JSON key "key" holds a object, not a string`, undefined],
    ['a list', 'key', string('{"key":["hunter2"]}'), `${LABEL}: JSON key "key" holds a object, not a string`, undefined],
  ] as const;

  it.each(REFUSED)('refuses %s, without the value', (_what, jsonKey, payload, message, hint) => {
    const error = failure(() => valueOf(ref(jsonKey), payload, LABEL));
    expect(described(error)).toEqual({ exitCode: 65, message, hint });
    expect(error.message).not.toContain('hunter2');
  });
});
