/**
 * Exit codes follow sysexits.h where one fits, so that an ECS stopped reason or an App Runner
 * event says what kind of failure it was without reading the log.
 */
export const ExitCode = {
  ok: 0,
  usage: 64,
  dataError: 65,
  unavailable: 69,
  software: 70,
  cantCreate: 73,
  noPermission: 77,
  notFound: 78,
  programNotExecutable: 126,
  programNotFound: 127,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Every failure the bootstrapper knows about. `message` names the input (env var, flag, ARN, file,
 * YAML path) and never carries a secret value; `hint` says what to do about it.
 */
export class BootstrapError extends Error {
  constructor(
    readonly exitCode: ExitCodeValue,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'BootstrapError';
  }
}

/**
 * Whether `error` is a BootstrapError, also one made by another copy of this module: the startup
 * snapshot loads the AWS edge as a separate bundle with its own copy of this class.
 */
export function isBootstrapError(error: unknown): error is BootstrapError {
  return error instanceof Error && error.name === 'BootstrapError' && typeof (error as BootstrapError).exitCode === 'number';
}

type Failure = (message: string, hint?: string) => BootstrapError;
const failure =
  (exitCode: ExitCodeValue): Failure =>
  (message, hint) =>
    new BootstrapError(exitCode, message, hint);

/** The one way to build each kind of error, named for what went wrong. */
export const usageError = failure(ExitCode.usage);
export const dataError = failure(ExitCode.dataError);
export const unavailable = failure(ExitCode.unavailable);
export const cantCreate = failure(ExitCode.cantCreate);
export const noPermission = failure(ExitCode.noPermission);
export const notFound = failure(ExitCode.notFound);
export const programNotExecutable = failure(ExitCode.programNotExecutable);
export const programNotFound = failure(ExitCode.programNotFound);
