import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES, fixture, start } from './helpers/bundle.js';
import { newEncryptionKey, newPipedKey } from './helpers/values.js';

/** Which role reads a fixture, from its kind (envoy configs have none). */
function roleFor(text: string): { role: string; env: Record<string, string> } {
  if (/^kind: ControlPlane/m.test(text)) return { role: 'server', env: { CONTROL_PLANE_CONFIG: text, ENCRYPTION_KEY: newEncryptionKey() } };
  if (/^kind: Piped/m.test(text)) return { role: 'piped', env: { PIPED_CONFIG: text } };
  return { role: 'gateway', env: { ENVOY_CONFIG: text } };
}

describe('every real PipeCD config in ../shared/fixtures/valid is accepted', () => {
  const names = readdirSync(FIXTURES).filter((n) => n.endsWith('.yaml'));
  it('there are fixtures to check', () => expect(names.length).toBeGreaterThanOrEqual(5));
  for (const name of names) {
    it(`${name}: accepted as given and written byte for byte`, async () => {
      const text = fixture(name);
      const { role, env } = roleFor(text);
      const r = await start({ args: [role], env });
      expect(r.code, JSON.stringify(r.logs.at(-1))).toBe(0);
      expect(Buffer.from(r.record!.files[0]!.base64!, 'base64').toString('utf8')).toBe(text);
    });
    it(`${name}: accepted after the rewrites (DATASTORE_HOST, PIPED_KEY) where they apply`, async () => {
      const text = fixture(name);
      const { role, env } = roleFor(text);
      const extra: Record<string, string> = /type: MYSQL/.test(text)
        ? { DATASTORE_HOST: 'mysql.internal' }
        : role === 'piped'
          ? { PIPED_KEY: newPipedKey() }
          : {};
      const r = await start({ args: [role], env: { ...env, ...extra } });
      expect(r.code, JSON.stringify(r.logs.at(-1))).toBe(0);
    });
  }
});
