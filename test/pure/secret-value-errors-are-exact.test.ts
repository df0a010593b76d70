import { describe, expect, it } from 'vitest';
import { BootstrapError } from '../../src/errors.js';
import { valueOf, type SecretPayload } from '../../src/secrets/secret-value.js';
import { ref } from '../helpers/refs.js';

/**
 * When a fetched secret does not hold what the reference asks for, the start stops with a data error
 * (65) whose message says what the secret holds instead (never its value) and, where there is one
 * fix, a hint. The label is what resolve-inputs passes: the input and where it came from.
 */
const LABEL = 'PIPED_KEY (secret pipecd/cp:key from --piped-key-secret)';
const text = (secretString: string): SecretPayload => ({ secretString, secretBinary: undefined });
const binary: SecretPayload = { secretString: undefined, secretBinary: Buffer.from([0xff, 0x00]) };

const failureOf = (reference: string, payload: SecretPayload) => {
  try {
    valueOf(ref(reference), payload, LABEL);
  } catch (error) {
    expect(error).toBeInstanceOf(BootstrapError);
    const e = error as BootstrapError;
    return { exitCode: e.exitCode, message: e.message, hint: e.hint };
  }
  throw new Error('valueOf returned a value');
};

const CASES: { name: string; ref: string; payload: SecretPayload; message: string; hint: string | undefined }[] = [
  {
    name: 'a secret version with neither field',
    ref: 'pipecd/cp',
    payload: { secretString: undefined, secretBinary: undefined },
    message: `${LABEL}: the secret version holds neither SecretString nor SecretBinary`,
    hint: undefined,
  },
  {
    name: 'a JSON key on a SecretBinary',
    ref: 'pipecd/cp:key',
    payload: binary,
    message: `${LABEL}: a JSON key needs a SecretString, but the secret holds SecretBinary`,
    hint: 'drop the :json-key part of the reference',
  },
  {
    name: 'a JSON key on a SecretString that is not JSON',
    ref: 'pipecd/cp:key',
    payload: text('key=value'),
    message: `${LABEL}: the secret is not JSON, so JSON key "key" cannot be read`,
    hint: 'drop the :json-key part of the reference, or store a JSON object',
  },
  {
    name: 'a JSON key on a JSON array',
    ref: 'pipecd/cp:key',
    payload: text('["key"]'),
    message: `${LABEL}: the secret is JSON but not an object, so JSON key "key" cannot be read`,
    hint: undefined,
  },
  {
    name: 'a JSON key on JSON null',
    ref: 'pipecd/cp:key',
    payload: text('null'),
    message: `${LABEL}: the secret is JSON but not an object, so JSON key "key" cannot be read`,
    hint: undefined,
  },
  {
    name: 'a JSON key the object lacks (keys are case-sensitive)',
    ref: 'pipecd/cp:key',
    payload: text('{"Key":"v"}'),
    message: `${LABEL}: the secret's JSON object has no key "key"`,
    hint: 'check the key name; keys are case-sensitive',
  },
  {
    name: 'a JSON key the object only inherits',
    ref: 'pipecd/cp:toString',
    payload: text('{}'),
    message: `${LABEL}: the secret's JSON object has no key "toString"`,
    hint: 'check the key name; keys are case-sensitive',
  },
  {
    name: 'a JSON key holding null',
    ref: 'pipecd/cp:key',
    payload: text('{"key":null}'),
    message: `${LABEL}: JSON key "key" holds a null, not a string`,
    hint: undefined,
  },
  {
    name: 'a JSON key holding a number',
    ref: 'pipecd/cp:key',
    payload: text('{"key":42}'),
    message: `${LABEL}: JSON key "key" holds a number, not a string`,
    hint: undefined,
  },
  {
    name: 'a JSON key holding an object',
    ref: 'pipecd/cp:key',
    payload: text('{"key":{"nested":"v"}}'),
    message: `${LABEL}: JSON key "key" holds a object, not a string`,
    hint: undefined,
  },
  {
    name: 'a JSON key holding a boolean',
    ref: 'pipecd/cp:key',
    payload: text('{"key":true}'),
    message: `${LABEL}: JSON key "key" holds a boolean, not a string`,
    hint: undefined,
  },
];

describe('a secret that does not hold what the reference asks for', () => {
  it.each(CASES)('$name', ({ ref: reference, payload, message, hint }) => {
    expect(failureOf(reference, payload)).toEqual({ exitCode: 65, message, hint });
  });
});

describe('what a reference reads from a secret', () => {
  it.each([
    ['the whole SecretString', 'pipecd/cp', text('{"key":"v"}'), '{"key":"v"}'],
    ['a JSON key of a SecretString object', 'pipecd/cp:key', text('{"key":"v","other":"w"}'), 'v'],
    ['an empty string under a JSON key', 'pipecd/cp:key', text('{"key":""}'), ''],
    ['a parameter value, whatever it looks like', 'ssm:/p', text('{"key":"v"}'), '{"key":"v"}'],
  ])('%s', (_, reference, payload, value) => {
    expect(valueOf(ref(reference), payload, LABEL).toString('utf8')).toBe(value);
  });

  it('the SecretBinary bytes as they are', () => {
    expect(valueOf(ref('pipecd/cp'), binary, LABEL)).toEqual(Buffer.from([0xff, 0x00]));
  });
});
