import type { InputSpec } from '../domain.js';

/** Every input any role reads, with the file it becomes. */
export const INPUTS = {
  controlPlaneConfig: {
    name: 'CONTROL_PLANE_CONFIG',
    kind: 'control-plane-config',
    fileName: 'control-plane-config.yaml',
    defaultEncoding: 'auto',
  },
  encryptionKey: { name: 'ENCRYPTION_KEY', kind: 'encryption-key', fileName: 'encryption-key', defaultEncoding: 'raw' },
  envoyConfig: { name: 'ENVOY_CONFIG', kind: 'envoy-config', fileName: 'envoy-config.yaml', defaultEncoding: 'auto' },
  pipedConfig: { name: 'PIPED_CONFIG', kind: 'piped-config', fileName: 'piped-config.yaml', defaultEncoding: 'auto' },
  pipedKey: { name: 'PIPED_KEY', kind: 'piped-key', fileName: 'piped-key', defaultEncoding: 'raw' },
  mysqlUsername: { name: 'MYSQL_USERNAME', kind: 'mysql-credential', fileName: 'mysql-username', defaultEncoding: 'raw' },
  mysqlPassword: { name: 'MYSQL_PASSWORD', kind: 'mysql-credential', fileName: 'mysql-password', defaultEncoding: 'raw' },
} as const satisfies Record<string, InputSpec>;

export const ALL_INPUTS: readonly InputSpec[] = Object.values(INPUTS);

/** `CONTROL_PLANE_CONFIG` -> `control-plane-config`, the stem of its flags. */
export const flagStem = (spec: InputSpec): string => spec.name.toLowerCase().replaceAll('_', '-');

/** The places an input can come from, as flags: `--x-secret`, `--x-file`, and how to decode it, `--x-encoding`. */
export const INPUT_FLAG_KINDS = ['secret', 'file', 'encoding'] as const;

/** The variables of an input X: X, X_SECRET, X_FILE, X_ENCODING. */
export const INPUT_SUFFIXES = ['', ...INPUT_FLAG_KINDS.map((kind) => `_${kind.toUpperCase()}`)] as const;

export const INPUT_FLAGS: readonly string[] = ALL_INPUTS.flatMap((spec) => INPUT_FLAG_KINDS.map((kind) => `${flagStem(spec)}-${kind}`));
