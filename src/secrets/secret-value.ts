import type { SecretRef } from '../domain.js';
import { dataError } from '../errors.js';

/** One version of a secret, or one parameter's value, as fetched. */
export interface SecretPayload {
  readonly secretString: string | undefined;
  readonly secretBinary: Buffer | undefined;
}

/**
 * The bytes a reference names: the whole SecretString or SecretBinary (a parameter's value is a
 * SecretString), or with a JSON key, that key's string value in a SecretString holding a JSON
 * object (as ECS does it).
 */
export function valueOf(ref: SecretRef, payload: SecretPayload, label: string): Buffer {
  const jsonKey = ref.service === 'secretsmanager' ? ref.jsonKey : undefined;
  if (jsonKey === undefined) {
    if (payload.secretString !== undefined) return Buffer.from(payload.secretString, 'utf8');
    if (payload.secretBinary !== undefined) return payload.secretBinary;
    throw dataError(`${label}: the secret version holds neither SecretString nor SecretBinary`);
  }
  if (payload.secretString === undefined) {
    throw dataError(
      `${label}: a JSON key needs a SecretString, but the secret holds SecretBinary`,
      'drop the :json-key part of the reference',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.secretString);
  } catch {
    throw dataError(
      `${label}: the secret is not JSON, so JSON key "${jsonKey}" cannot be read`,
      'drop the :json-key part of the reference, or store a JSON object',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw dataError(`${label}: the secret is JSON but not an object, so JSON key "${jsonKey}" cannot be read`);
  }
  if (!Object.hasOwn(parsed, jsonKey)) {
    throw dataError(`${label}: the secret's JSON object has no key "${jsonKey}"`, 'check the key name; keys are case-sensitive');
  }
  const value = (parsed as Record<string, unknown>)[jsonKey];
  if (typeof value !== 'string')
    throw dataError(`${label}: JSON key "${jsonKey}" holds a ${value === null ? 'null' : typeof value}, not a string`);
  return Buffer.from(value, 'utf8');
}
