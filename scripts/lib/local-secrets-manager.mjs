// Starts moto_server, a real Secrets Manager API on 127.0.0.1, on a port of its own.
// Used by the test setup, the demo and the benchmark, which also put their secrets there with putSecret().
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/** moto_server where pip put it on PATH; Debian's python3-moto has no such script, only the module. */
function motoCommand() {
  return spawnSync('sh', ['-c', 'command -v moto_server']).status === 0 ? ['moto_server'] : ['python3', '-m', 'moto.server'];
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(endpoint, child) {
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if (child.exitCode !== null)
      throw new Error(
        `moto_server exited with ${child.exitCode}; is moto installed (pip install "moto[server]" or apt-get install python3-moto)?`,
      );
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('moto_server did not come up within 30 s');
}

/** @returns {Promise<{ endpoint: string, stop: () => void }>} */
export async function startLocalSecretsManager() {
  const port = await freePort();
  const [command, ...args] = motoCommand();
  const child = spawn(command, [...args, '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  child.on('error', () => {});
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilUp(endpoint, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { endpoint, stop: () => child.kill('SIGTERM') };
}

export const LOCAL_REGION = 'us-east-1';

/** A client of the local endpoint with dummy credentials: how the tests, the demo and the benchmark put secrets. */
export function localSecretsClient(endpoint, region = LOCAL_REGION) {
  return new SecretsManagerClient({ region, endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

/** Creates a secret (a string, or bytes as SecretBinary) and returns its ARN and first version id. */
export async function putSecret(endpoint, name, value, region = LOCAL_REGION) {
  const client = localSecretsClient(endpoint, region);
  try {
    const out = await client.send(
      new CreateSecretCommand(typeof value === 'string' ? { Name: name, SecretString: value } : { Name: name, SecretBinary: value }),
    );
    return { name, arn: out.ARN, versionId: out.VersionId };
  } finally {
    client.destroy();
  }
}
