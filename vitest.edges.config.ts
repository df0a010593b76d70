import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The process tests that reach the edges (writer, exec, signals, program lookup, the AWS edge and
 * the error report), for the mutation run that rebuilds the bundle per mutant
 * (stryker.edges.config.mjs). Left out: the in-process tests (the main run has them) and the
 * suites about images, Terraform, load (load, fleet-scale), the snapshot and the migration from the ECS guide's
 * commands, which test packaging and documents rather than src/.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        'test/pure/**',
        'test/images.test.ts',
        'test/deploy.test.ts',
        'test/dockerfiles-lint.test.ts',
        'test/load.test.ts',
        'test/fleet-scale.test.ts',
        'test/snapshot.test.ts',
        'test/migration.test.ts',
        '**/node_modules/**',
      ],
      // A mutant is killed by the first failure; the rest of the run would only cost time.
      bail: 1,
    },
  }),
);
