import { setFlagsFromString, startupSnapshot } from 'node:v8';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBesideBlob } from './beside-blob.js';
import { parseInvocation } from './cli/args.js';
import { run } from './cli/run.js';
import { stopwatch } from './cli/stopwatch.js';
import { resolveInputs, type AwsAccess } from './inputs/resolve-inputs.js';
import { selectSources } from './inputs/select-sources.js';
import { BOOTSTRAP_VARIABLES, type Env } from './inputs/settings.js';
import { assertRunnable } from './launch/check-program.js';
import { findProgram } from './launch/find-program.js';
import { alteredVariables, programEnvironment } from './launch/program-environment.js';
import { createLogger, type LineSink } from './log.js';
import { writeFiles } from './output/write-files.js';
import { renderLaunch } from './render/plan.js';
import { ROLES } from './roles/index.js';
import type { LoadSdkTransport } from './secrets/open-transport.js';
import { chooseTransport } from './secrets/choose-transport.js';
import { endpointOf } from './secrets/aws-endpoint.js';
import { signRequest } from './secrets/sigv4.js';
import CONTROL_PLANE from './samples/control-plane.yaml';
import ENVOY from './samples/envoy.yaml';
import PIPED from './samples/piped.yaml';

/**
 * The startup snapshot's entry (Node >= 22): `node --snapshot-blob B --build-snapshot entry.cjs`
 * runs this once, when the image is built, and the blob then starts with the bootstrapper loaded
 * and the path of a start compiled (see rehearse()). Run it as `node --snapshot-blob B ROLE ...`.
 *
 * The fast AWS client is in the snapshot, its signer compiled and node:crypto loaded; node:http and
 * node:https, which a snapshot cannot hold, it fetches at its first request. The AWS SDK cannot be
 * in a snapshot (it loads those modules and http2 as it loads), and execa is used only where Node
 * has no process.execve: a start that needs either requires it from beside the blob
 * (aws-secrets.cjs, execa.cjs; see beside-blob.ts).
 */

/**
 * A rehearsal of the start, run while the blob is built, on the demo's configs: parse, select,
 * resolve, render, write (into a temporary directory, removed after), the program's environment and
 * check, and the log lines (into nothing). V8 keeps the bytecode it compiled and the Node modules it
 * loaded in the snapshot, so a start does not compile them again. Nothing it reads comes from this
 * process's environment, and nothing it computes is kept: every start reads its own inputs.
 */
async function rehearse(): Promise<void> {
  const env: Env = {
    PATH: '/nonexistent',
    CONTROL_PLANE_CONFIG: Buffer.from(CONTROL_PLANE).toString('base64'),
    ENCRYPTION_KEY: 'k'.repeat(64),
    DATASTORE_HOST: 'db',
    ENVOY_CONFIG: ENVOY,
    PIPED_CONFIG: PIPED,
    PIPED_KEY: 'key',
  };
  const noRawEnvironment = () => undefined;
  const noAws: AwsAccess = {
    defaultRegion: undefined,
    open: () => Promise.reject(new Error('the rehearsal has no references')),
  };
  const lines: LineSink = { write: () => undefined };
  const logs = [createLogger('json', lines), createLogger('humanize', lines)];
  const dir = mkdtempSync(join(tmpdir(), 'pipecd-bootstrap-snapshot-'));
  try {
    for (let round = 0; round < 3; round++) {
      for (const name of Object.keys(ROLES) as (keyof typeof ROLES)[]) {
        const clock = stopwatch();
        const invocation = parseInvocation([name, '--log-encoding=json']);
        if (invocation.command !== 'run') throw new Error(`the rehearsal parsed ${name} as ${invocation.command}`);
        const role = ROLES[invocation.role];
        const request = selectSources(role, env, invocation.flags, noRawEnvironment);
        const resolved = await resolveInputs(request.sources, new AbortController().signal, request.timeoutMs, noAws);
        const { plan } = renderLaunch(role, resolved.inputs, request.role, dir, invocation.passThrough);
        writeFiles(dir, plan.files);
        const programEnv = programEnvironment(env, BOOTSTRAP_VARIABLES);
        alteredVariables(programEnv, noRawEnvironment);
        assertRunnable(findProgram(role.programs, process.execPath, env.PATH));
        for (const log of logs)
          log.info(
            { role: name, files: plan.files.map((f) => ({ path: f.path, bytes: f.contents.length })), ms: clock.lap() },
            'rehearsed',
          );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The fast client's rule, endpoint and signer, run once on dummy values (no credential of anyone's)
// for the same reason; the snapshot waits for the signature's promise before it is taken. Signing
// loads node:crypto into the snapshot: about 1 ms more for a start without references, 3 ms less for
// one with them, the start that nearly every container makes (docs/benchmarks.md).
const region = 'us-east-1';
chooseTransport({ HOME: '/nonexistent', AWS_ACCESS_KEY_ID: 'AKIDSNAPSHOT', AWS_SECRET_ACCESS_KEY: 'snapshot' }, [region], () => false);
const url = endpointOf('secretsmanager', region, {});
void signRequest(
  {
    protocol: 'https:',
    hostname: url.hostname,
    port: undefined,
    path: '/',
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.BatchGetSecretValue' },
    body: '{"SecretIdList":["snapshot"]}',
  },
  'secretsmanager',
  region,
  { accessKeyId: 'AKIDSNAPSHOT', secretAccessKey: 'snapshot' },
);
// A rehearsal that fails is an unhandled rejection, which fails the build of the blob (and the image).
void rehearse();

const loadSdkTransport: LoadSdkTransport = async () => requireBesideBlob('./aws-secrets.cjs');

startupSnapshot.setDeserializeMainFunction(async () => {
  // The images start the blob with --no-rehash-snapshot (docker/pipecd-bootstrap; README, "The
  // startup snapshot"), which V8 reads only while it deserializes. V8 hashes its flags into every
  // code cache, and Node's cache of its own modules was made with the defaults: with the flag left
  // off, node:http and node:https (a start with references loads them) compile from source, about
  // 9 ms. Set back, the hash is Node's again and the cache is taken.
  setFlagsFromString('--rehash-snapshot');
  process.exit(await run(process.argv.slice(1), process.env, loadSdkTransport));
});
