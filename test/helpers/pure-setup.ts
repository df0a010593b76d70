import type { TestProject } from 'vitest/node';
import { startLocalSecretsManager } from '../../scripts/lib/local-secrets-manager.mjs';
import { buildOracle } from './oracle.js';

/**
 * For the in-process tests (vitest.pure.config.ts, `npm run mutate`): the Go oracle, and one real
 * local AWS endpoint (moto_server, on a port of its own) started once per vitest instance rather
 * than per test file, since Stryker runs the files again for every mutant.
 */
export default async function setup(project: TestProject) {
  project.provide('oracle', buildOracle());
  const moto = await startLocalSecretsManager();
  project.provide('motoEndpoint', moto.endpoint);
  // Worker threads share the process umask and cannot set it. 0277 makes any mode left to the umask
  // show (a file 0400, a directory 0500: test/in-process/writer.test.ts); root writes regardless.
  process.umask(process.getuid?.() === 0 ? 0o277 : 0o077);
  return () => {
    moto.stop();
  };
}
