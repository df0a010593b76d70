import { startupSnapshot } from 'node:v8';
import type { ResolvedInput, Settings } from './domain.js';
import { flagValue } from './cli/args.js';
import { run } from './cli/run.js';
import { ROLES } from './roles/index.js';
import { INPUTS } from './inputs/catalog.js';
import type { LoadAwsEdge } from './inputs/resolve-inputs.js';
import { renderLaunch } from './render/plan.js';
import CONTROL_PLANE from './samples/control-plane.yaml';
import ENVOY from './samples/envoy.yaml';
import PIPED from './samples/piped.yaml';

/**
 * The startup snapshot's entry (Node >= 22): `node --snapshot-blob B --build-snapshot entry.cjs`
 * runs this once, when the image is built, and the blob then starts with the bootstrapper loaded
 * and its render path compiled. Run it as `node --snapshot-blob B ROLE ...`.
 *
 * The AWS SDK cannot be in a snapshot (Node cannot snapshot node:http, https or http2, which it loads), so a start
 * with references requires aws-secrets.cjs (src/secrets/sdk-transport.ts) from beside the blob. Dynamic import() is unavailable in
 * a snapshot's main function; require() of a file is.
 */

const env = (spec: ResolvedInput['spec'], text: string): ResolvedInput => ({
  spec,
  origin: { type: 'env', variable: spec.name },
  encoding: spec.defaultEncoding,
  bytes: Buffer.from(text),
});
const none: Settings = { datastoreHost: undefined, cacheAddress: undefined };

// Running the pure core on the demo's configs compiles it, and V8 keeps that bytecode in the snapshot.
for (let round = 0; round < 3; round++) {
  renderLaunch(
    ROLES.server,
    [env(INPUTS.controlPlaneConfig, Buffer.from(CONTROL_PLANE).toString('base64')), env(INPUTS.encryptionKey, 'k'.repeat(64))],
    { datastoreHost: 'db', cacheAddress: undefined },
    '/nonexistent',
    [],
  );
  renderLaunch(ROLES.gateway, [env(INPUTS.envoyConfig, ENVOY)], none, '/nonexistent', []);
  renderLaunch(ROLES.piped, [env(INPUTS.pipedConfig, PIPED), env(INPUTS.pipedKey, 'key')], none, '/nonexistent', []);
}

/** The blob's absolute path (createRequire needs one); --snapshot-blob may have been given a relative one. */
function blobPath(): string {
  const path = flagValue(process.execArgv, '--snapshot-blob');
  if (path === undefined) throw new Error('started without --snapshot-blob');
  return process.getBuiltinModule('node:path').resolve(path);
}

const loadAwsEdge: LoadAwsEdge = async () => {
  const { createRequire } = process.getBuiltinModule('node:module');
  return createRequire(blobPath())('./aws-secrets.cjs');
};

startupSnapshot.setDeserializeMainFunction(async () => {
  process.exit(await run(process.argv.slice(1), process.env, loadAwsEdge));
});
