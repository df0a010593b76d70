// A stand-in for the ECS container credentials endpoint (169.254.170.2, also App Runner's and EKS Pod
// Identity's): an HTTP server on 127.0.0.1 that answers GET with the JSON the ECS agent serves, only
// to requests whose Authorization header is the expected token. It runs as a process of its own so
// that it answers while the benchmark blocks in spawnSync. Used by the tests and the benchmark.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

/**
 * @param {{ token: string | undefined, accessKeyId: string, secretAccessKey: string, sessionToken: string, log?: string }} options
 * @returns {Promise<{ url: string, stop: () => void }>} url: the endpoint's full URI (AWS_CONTAINER_CREDENTIALS_FULL_URI)
 */
export function startContainerCredentialsEndpoint(options) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
    env: { STAND_IN_CREDENTIALS: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the credentials endpoint exited with ${code}`)));
    child.stdout.once('data', (line) =>
      resolve({ url: `http://127.0.0.1:${String(line).trim()}/v2/credentials/task-role`, stop: () => child.kill('SIGTERM') }),
    );
  });
}

function serve({ token, accessKeyId, secretAccessKey, sessionToken, log }) {
  const server = createServer((request, response) => {
    const authorized = token === undefined || request.headers.authorization === token;
    if (log) appendFileSync(log, `${JSON.stringify({ method: request.method, url: request.url, authorized })}\n`);
    if (request.method !== 'GET' || !request.url.startsWith('/v2/credentials/')) {
      response.writeHead(404).end();
    } else if (!authorized) {
      response
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ Code: 'Unauthorized', Message: 'invalid authorization token' }));
    } else {
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          RoleArn: 'arn:aws:iam::123456789012:role/pipecd-task',
          AccessKeyId: accessKeyId,
          SecretAccessKey: secretAccessKey,
          Token: sessionToken,
          Expiration: new Date(Date.now() + 6 * 3600_000).toISOString(),
        }),
      );
    }
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
  process.on('SIGTERM', () => process.exit(0));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) serve(JSON.parse(process.env.STAND_IN_CREDENTIALS));
