import { defineConfig } from 'vitest/config';

/**
 * The in-process tests only: they import src/ directly and need no bundle, so `npm run mutate` can
 * switch mutants inside one test process. test/pure/ is the pure core; test/in-process/ reaches the
 * edges (the writer on temp dirs, run(), the log lines, the AWS transports against moto_server)
 * through their real interfaces.
 */
export default defineConfig({
  test: {
    include: ['test/pure/**/*.test.ts', 'test/in-process/**/*.test.ts'],
    globalSetup: ['test/helpers/pure-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'threads',
    maxWorkers: 2,
  },
});
