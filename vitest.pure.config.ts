import { defineConfig } from 'vitest/config';

/**
 * The in-process tests only: they import src/ directly and need no bundle, so `npm run mutate` can
 * switch mutants inside one test process. test/pure/ is the pure core; test/in-process/ reaches the
 * edges (the writer on temp dirs, run(), the log lines, the AWS transports against moto_server)
 * through their real interfaces.
 */
const SIGNALS = 'test/in-process/stop-gate-signals.test.ts';

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'threads', include: ['test/pure/**/*.test.ts', 'test/in-process/**/*.test.ts'], exclude: [SIGNALS] },
      },
      // libuv watches signals on the main thread only: this file runs in a process of its own.
      { extends: true, test: { name: 'signals', include: [SIGNALS], pool: 'forks' } },
    ],
    globalSetup: ['test/helpers/pure-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'threads',
    maxWorkers: 2,
  },
});
