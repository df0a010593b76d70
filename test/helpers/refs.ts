import type { SecretRef } from '../../src/domain.js';
import { parseSecretRef } from '../../src/secrets/reference.js';

/** A reference parsed as the bootstrapper parses it; a test that gives a bad one fails at once. */
export function ref(text: string): SecretRef {
  const parsed = parseSecretRef(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.ref;
}
