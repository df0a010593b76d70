// The whole flow on an embedded default: a real local Secrets Manager (moto_server), secrets put
// there with the real AWS SDK, the bundle fetching them by ARN, rendering and validating the
// files, and exec'ing stand-in programs that report what they were given.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { putSecret, startLocalSecretsManager } from './lib/local-secrets-manager.mjs';
import { b64, BUNDLE, sample, STAND_IN } from './lib/paths.mjs';

const say = (text) => process.stdout.write(`${text}\n`);

function standInBin(root) {
  const bin = join(root, 'bin');
  mkdirSync(bin);
  for (const name of ['pipecd', 'envoy', 'piped']) symlinkSync(STAND_IN, join(bin, name));
  return bin;
}

function bootstrap(title, args, env, root, bin, endpoint) {
  const out = join(root, title);
  const record = join(root, `${title}.json`);
  say(`\n=== ${title}: pipecd-bootstrap ${args.join(' ')}`);
  const result = spawnSync(process.execPath, [BUNDLE, ...args], {
    encoding: 'utf8',
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'demo',
      AWS_SECRET_ACCESS_KEY: 'demo',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
      PIPECD_BOOTSTRAP_DIR: out,
      PIPECD_BOOTSTRAP_LOG_ENCODING: 'humanize',
      STAND_IN_RECORD: record,
      ...env,
    },
  });
  say('--- the bootstrapper logged (stderr):');
  say(result.stderr.trimEnd().replace(/^/gm, '  '));
  if (result.status !== 0) throw new Error(`${title} exited with ${result.status}`);
  const facts = JSON.parse(readFileSync(record, 'utf8'));
  say(`--- written to ${out} (mode ${(statSync(out).mode & 0o777).toString(8)}):`);
  for (const file of facts.files) say(`  ${file.mode}  ${String(file.size).padStart(5)} bytes  ${file.path}`);
  say(`--- exec'd: ${facts.program} ${facts.args.join(' ')}`);
  say(
    `  the program's PID ${facts.pid} ${facts.pid === result.pid ? "is the bootstrapper's own (process.execve)" : `is a child of the bootstrapper ${facts.ppid} (supervised)`}`,
  );
  say(
    `  bootstrap variables left in its environment: ${
      Object.keys(facts.env)
        .filter((k) => /CONFIG|KEY$|_SECRET$|DATASTORE/.test(k) && !k.startsWith('AWS_'))
        .join(', ') || 'none'
    }`,
  );
  return { out, facts };
}

const moto = await startLocalSecretsManager();
const root = mkdtempSync(join(tmpdir(), 'pipecd-bootstrap-demo-'));
try {
  say(
    `Node ${process.version} (${typeof process.execve === 'function' ? 'has' : 'lacks'} process.execve); local Secrets Manager (moto_server) at ${moto.endpoint}`,
  );
  const put = async (name, value) => (await putSecret(moto.endpoint, name, value)).arn;
  const configArn = await put('pipecd/control-plane-config', b64(sample('control-plane')));
  const keyArn = await put('pipecd/encryption-key', randomBytes(64).toString('base64'));
  const pipedArn = await put('pipecd/piped', JSON.stringify({ config: b64(sample('piped')), key: randomBytes(24).toString('hex') }));
  say(`Put 3 secrets: ${configArn}\n               ${keyArn}\n               ${pipedArn}`);
  const bin = standInBin(root);

  const server = bootstrap(
    'server',
    ['server', '--', '--insecure-cookie'],
    {
      CONTROL_PLANE_CONFIG_SECRET: configArn,
      ENCRYPTION_KEY_SECRET: keyArn,
      DATASTORE_HOST: 'pipecd.cluster-demo.us-east-1.rds.amazonaws.com',
      CACHE_ADDRESS: 'redis.internal:6379',
    },
    root,
    bin,
    moto.endpoint,
  );
  const url = readFileSync(join(server.out, 'control-plane-config.yaml'), 'utf8').match(/url: .*/)[0];
  say(`  the datastore url in the written config: ${url}`);

  bootstrap('gateway', ['gateway'], { ENVOY_CONFIG: sample('envoy') }, root, bin, moto.endpoint);

  const piped = bootstrap(
    'piped',
    ['piped', `--piped-config-secret=${pipedArn}:config`, `--piped-key-secret=${pipedArn}:key`],
    {},
    root,
    bin,
    moto.endpoint,
  );
  const keyLine = readFileSync(join(piped.out, 'piped-config.yaml'), 'utf8').match(/pipedKey.*/)[0];
  say(`  the written piped config now says: ${keyLine}`);
  say("\nDemo complete: 3 starts, secrets fetched from the local endpoint, files written 0600, programs exec'd.");
} finally {
  moto.stop();
  rmSync(root, { recursive: true, force: true });
}
