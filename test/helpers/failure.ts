import { BootstrapError } from '../../src/errors.js';

/** A failure as the log line shows it: exit code, message and hint. */
export interface Failure {
  readonly exitCode: number;
  readonly message: string;
  readonly hint: string | undefined;
}

/** The failure a BootstrapError stands for; anything else is rethrown, so a crash never passes for a refusal. */
export function asFailure(error: unknown): Failure {
  if (!(error instanceof BootstrapError)) throw error;
  return { exitCode: error.exitCode, message: error.message, hint: error.hint };
}

/** The failure a call throws; a call that returns fails the test. */
export function failureOf(call: () => unknown): Failure {
  try {
    call();
  } catch (error) {
    return asFailure(error);
  }
  throw new Error('expected a failure');
}
