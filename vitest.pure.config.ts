import { defineConfig } from 'vitest/config';

/**
 * The in-process tests only: they import src/ directly, need no bundle, no moto_server and no
 * stand-in program, so `npm run mutate` can switch mutants inside one test process.
 */
export default defineConfig({
  test: {
    include: ['test/pure/**/*.test.ts'],
    pool: 'threads',
    maxWorkers: 2,
  },
});
