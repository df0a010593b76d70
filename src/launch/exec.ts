import { constants } from 'node:os';
import { programNotExecutable, programNotFound } from '../errors.js';
import type { Logger } from '../log.js';

/** The signals a supervisor passes on; the same set tini forwards. */
export const FORWARDED_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;

/** Node starts with these ignored, and an ignored signal stays ignored across execve. */
const IGNORED_BY_NODE = ['SIGPIPE', 'SIGXFSZ'] as const;

export interface Program {
  readonly path: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

export const signalExitCode = (signal: string): number => 128 + (constants.signals[signal as NodeJS.Signals] ?? 0);

type Execve = (file: string, args: string[], env: Record<string, string>) => never;

/** process.execve, where this Node has it (22.15 and later). */
export function execveOf(proc: NodeJS.Process): Execve | undefined {
  const execve = (proc as unknown as { execve?: Execve }).execve;
  return typeof execve === 'function' ? execve.bind(proc) : undefined;
}

/**
 * Replaces this process with the program: same PID, so the program receives the container's
 * signals directly and nothing of Node stays resident.
 */
export function replaceProcess(execve: Execve, program: Program): never {
  // A handled signal is reset to its default by execve; an ignored one would stay ignored.
  for (const signal of IGNORED_BY_NODE) process.on(signal, () => {});
  // NODE_COMPILE_CACHE is written at exit, which execve skips; an image can bake a warm cache in.
  // node:module is taken only here: a startup snapshot must not hold it.
  (process.getBuiltinModule('node:module') as { flushCompileCache?: () => void }).flushCompileCache?.();
  return execve(program.path, [program.path, ...program.args], { ...program.env });
}

/**
 * Where execve is missing: runs the program as a child, passes on every forwarded signal, and
 * ends with the child's exit code, or 128 + signal number when a signal ended it. There is no
 * forced kill: pipecd and piped shut down gracefully on SIGTERM for as long as they need.
 */
export function supervise(program: Program, log: Logger): Promise<number> {
  // Loaded only here: a start that can execve never pays for child_process.
  const { spawn } = process.getBuiltinModule('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(program.path, [...program.args], { env: { ...program.env }, stdio: 'inherit' });
    for (const signal of FORWARDED_SIGNALS) {
      process.on(signal, () => {
        log.info({ signal, pid: child.pid }, 'forwarding signal to the program');
        child.kill(signal);
      });
    }
    child.once('error', (error: NodeJS.ErrnoException) => {
      const failure = error.code === 'EACCES' ? programNotExecutable : programNotFound;
      reject(failure(`the program ${program.path} could not be started (${error.code ?? 'error'})`, 'check the program in the image'));
    });
    child.once('exit', (code, signal) => resolve(signal ? signalExitCode(signal) : (code ?? 1)));
  });
}
