import * as z from 'zod/mini';
import { mapping, optionalString, pipecdDocument, requiredString, validateWith } from './schema-kit.js';
import { toPlain, type YamlSource } from './yaml-document.js';

export const pipedSchema = pipecdDocument(
  'Piped',
  mapping({
    projectID: requiredString(),
    pipedID: requiredString(),
    apiAddress: requiredString(),
    pipedKeyFile: optionalString(),
    pipedKeyData: optionalString(),
  }).check(
    z.refine((spec) => Boolean(spec.pipedKeyFile) !== Boolean(spec.pipedKeyData), {
      message: 'needs exactly one of pipedKeyFile and pipedKeyData (or set PIPED_KEY)',
      path: ['pipedKeyFile'],
    }),
  ),
);

/** Points piped at the key file written from PIPED_KEY; an inline pipedKeyData would conflict with it. */
export function usePipedKeyFile(source: YamlSource, keyFile: string): void {
  source.doc.deleteIn(['spec', 'pipedKeyData']);
  source.doc.setIn(['spec', 'pipedKeyFile'], keyFile);
}

export function validatePiped(source: YamlSource): void {
  validateWith(pipedSchema, source, toPlain(source));
}
