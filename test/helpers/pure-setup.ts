import type { TestProject } from 'vitest/node';
import { startLocalSecretsManager } from '../../scripts/lib/local-secrets-manager.mjs';
import { buildOracle } from './oracle.js';
import { useRunTmpdir } from './run-tmpdir.js';
import { startSigningMoto, type SigningMoto } from './signing-moto.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A moto_server that verifies SigV4 signatures (botocore) and IAM policies; see signing-moto.ts. */
    signingMoto: Omit<SigningMoto, 'stop'>;
  }
}

/** What the signature-checking moto holds for the in-process tests. */
export const SIGNED_SECRET = { name: 'signed-secret', value: 'a value behind a checked signature' } as const;
export const SIGNED_PARAMETER = { name: '/signed/parameter', value: 'a parameter behind a checked signature' } as const;

/**
 * For the in-process tests (vitest.pure.config.ts, `npm run mutate`): the Go oracle, one real local
 * AWS endpoint (moto_server) and one that checks signatures, each on a port of its own, started
 * once per vitest instance rather than per test file, since Stryker runs the files again for every
 * mutant.
 */
export default async function setup(project: TestProject) {
  const removeTmpdir = useRunTmpdir();
  project.provide('oracle', buildOracle());
  const moto = await startLocalSecretsManager();
  project.provide('motoEndpoint', moto.endpoint);
  const signing = await startSigningMoto(
    { [SIGNED_SECRET.name]: SIGNED_SECRET.value },
    { [SIGNED_PARAMETER.name]: SIGNED_PARAMETER.value },
  ).catch((error: unknown) => {
    moto.stop();
    removeTmpdir();
    throw error;
  });
  const { stop: _stop, ...signingMoto } = signing;
  project.provide('signingMoto', signingMoto);
  // Worker threads share the process umask and cannot set it. 0277 makes any mode left to the umask
  // show (a file 0400, a directory 0500: test/in-process/writer.test.ts); root writes regardless.
  process.umask(process.getuid?.() === 0 ? 0o277 : 0o077);
  return () => {
    signing.stop();
    moto.stop();
    removeTmpdir();
  };
}
