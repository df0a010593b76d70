import type { TestProject } from 'vitest/node';
import { startLocalSecretsManager } from '../../scripts/lib/local-secrets-manager.mjs';
import { buildSnapshotBlob } from '../../scripts/lib/snapshot-blob.mjs';
import { NODE22, SNAPSHOT_DIR } from '../../scripts/lib/paths.mjs';
import { clearObservations } from '../../scripts/lib/observations.mjs';
import { buildOracle } from './oracle.js';
import { SIGNED_PARAMETER, SIGNED_SECRET } from './pure-setup.js';
import { useRunTmpdir } from './run-tmpdir.js';
import { startSigningMoto } from './signing-moto.js';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
    /** The startup snapshot blob, built once per run with Node 22 beside dist/snapshot's files. */
    snapshotBlob: string;
    /** The Go oracle (test/oracle), built once per run. */
    oracle: string;
  }
}

/** One real local Secrets Manager endpoint (moto_server) per test run, on a port of its own. */
export default async function setup(project: TestProject) {
  clearObservations();
  const removeTmpdir = useRunTmpdir();
  const moto = await startLocalSecretsManager();
  project.provide('motoEndpoint', moto.endpoint);
  project.provide('oracle', buildOracle());
  project.provide('snapshotBlob', buildSnapshotBlob(NODE22, SNAPSHOT_DIR));
  // For test/in-process/aws-transports.test.ts, as test/helpers/pure-setup.ts provides it under vitest.pure.config.ts.
  const signing = await startSigningMoto(
    { [SIGNED_SECRET.name]: SIGNED_SECRET.value },
    { [SIGNED_PARAMETER.name]: SIGNED_PARAMETER.value },
  );
  const { stop: _stop, ...signingMoto } = signing;
  project.provide('signingMoto', signingMoto);
  return () => {
    signing.stop();
    moto.stop();
    removeTmpdir();
  };
}
