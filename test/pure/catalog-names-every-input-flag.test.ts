import { describe, expect, it } from 'vitest';
import { ALL_INPUTS, flagStem, INPUT_FLAG_KINDS, INPUT_FLAGS, INPUT_SUFFIXES, INPUTS } from '../../src/inputs/catalog.js';

/** The input table drives the flags, --help and the environment clean-up; its rows are the interface. */
const ROWS = [
  ['CONTROL_PLANE_CONFIG', 'control-plane-config', 'control-plane-config.yaml', 'auto'],
  ['ENCRYPTION_KEY', 'encryption-key', 'encryption-key', 'raw'],
  ['ENVOY_CONFIG', 'envoy-config', 'envoy-config.yaml', 'auto'],
  ['PIPED_CONFIG', 'piped-config', 'piped-config.yaml', 'auto'],
  ['PIPED_KEY', 'piped-key', 'piped-key', 'raw'],
  ['MYSQL_USERNAME', 'mysql-username', 'mysql-username', 'raw'],
  ['MYSQL_PASSWORD', 'mysql-password', 'mysql-password', 'raw'],
] as const;

describe('the input catalog', () => {
  it.each(ROWS)('%s: flags --%s-*, file %s, encoding %s by default', (name, stem, fileName, encoding) => {
    const spec = ALL_INPUTS.find((s) => s.name === name)!;
    expect(flagStem(spec)).toBe(stem);
    expect(spec.fileName).toBe(fileName);
    expect(spec.defaultEncoding).toBe(encoding);
  });

  it('holds exactly these inputs, keys and configs by kind', () => {
    expect(ALL_INPUTS.map((s) => s.name)).toEqual(ROWS.map((r) => r[0]));
    expect(Object.values(INPUTS).map((s) => s.kind)).toEqual([
      'control-plane-config',
      'encryption-key',
      'envoy-config',
      'piped-config',
      'piped-key',
      'mysql-credential',
      'mysql-credential',
    ]);
  });

  it('every input has --x-secret, --x-file and --x-encoding, and X, X_SECRET, X_FILE, X_ENCODING', () => {
    expect(INPUT_FLAG_KINDS).toEqual(['secret', 'file', 'encoding']);
    expect(INPUT_SUFFIXES).toEqual(['', '_SECRET', '_FILE', '_ENCODING']);
    expect(INPUT_FLAGS).toEqual(ROWS.flatMap(([, stem]) => [`${stem}-secret`, `${stem}-file`, `${stem}-encoding`]));
  });
});
