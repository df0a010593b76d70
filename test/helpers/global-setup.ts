import type { TestProject } from 'vitest/node';
import { startLocalSecretsManager } from '../../scripts/lib/local-secrets-manager.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}

/** One real local Secrets Manager endpoint (moto_server) per test run, on a port of its own. */
export default async function setup(project: TestProject) {
  const moto = await startLocalSecretsManager();
  project.provide('motoEndpoint', moto.endpoint);
  return moto.stop;
}
