// The bootstrapper's run() with an AWS edge that fails with an unexpected error whose message holds
// a value (as a library's message can quote what it was given): built by test/internal-error.test.ts.
import { run } from '../../src/cli/run.js';

const value = process.env.TEST_VALUE_IN_ERROR ?? '';
process.exit(
  await run(process.argv.slice(2), process.env, async () => {
    throw new TypeError(`cannot read ${value} of undefined`);
  }),
);
