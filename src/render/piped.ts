import * as z from 'zod/mini';
import { Rewrite } from './rewrite.js';
import {
  goDurationIsNegative,
  optionalDuration,
  optionalString,
  pipecdDocument,
  requiredString,
  struct,
  validateWith,
} from './schema-kit.js';
import type { YamlSource } from './yaml-document.js';

/**
 * PipedSpec of both piped generations (pkg/config/piped.go, pkg/configv1/piped.go): a piped config
 * loads if either loads it, so unknown keys pass at the top (pkg/configv1 decodes it without
 * DisallowUnknownFields) and in the spec (PipedSpec.UnmarshalJSON decodes afresh in both). The
 * checks are those of PipedSpec.Validate that both share.
 */
export const pipedSchema = pipecdDocument(
  'Piped',
  struct(
    {
      projectID: requiredString(),
      pipedID: requiredString(),
      apiAddress: requiredString(),
      pipedKeyFile: optionalString(),
      pipedKeyData: optionalString(),
      name: optionalString(),
      webAddress: optionalString(),
      syncInterval: optionalDuration(),
      appConfigSyncInterval: optionalDuration(),
    },
    { unknown: 'allow' },
  ).check(
    z.refine((spec) => Boolean(spec.pipedKeyFile) !== Boolean(spec.pipedKeyData), {
      message: 'needs exactly one of pipedKeyFile and pipedKeyData (or set PIPED_KEY)',
      path: ['pipedKeyFile'],
    }),
    z.refine((spec) => !goDurationIsNegative(spec.syncInterval), {
      message: 'must not be negative',
      path: ['syncInterval'],
    }),
  ),
  'allow',
);

/**
 * Points piped at the key file written from PIPED_KEY: pipedKeyFile set (in place, or added to
 * the spec) and every pipedKeyData key removed, since piped refuses both at once.
 */
export function usePipedKeyFile(source: YamlSource, keyFile: string): YamlSource {
  const rewrite = new Rewrite(source, 'PIPED_KEY is set');
  const spec = rewrite.path(['spec']);
  if (!spec) throw rewrite.problem(['spec'], 'must be a mapping');
  rewrite.remove(spec, 'pipedKeyData');
  rewrite.set(spec, 'pipedKeyFile', keyFile);
  return rewrite.apply();
}

export function validatePiped(source: YamlSource): void {
  validateWith(pipedSchema, source, source.plain);
}
