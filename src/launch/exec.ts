import { programNotExecutable, programNotFound } from '../errors.js';
import { signalExitCode, type StopGate } from './stop-before-start.js';

/** Node starts with these ignored, and an ignored signal stays ignored across execve. */
const IGNORED_BY_NODE = ['SIGPIPE', 'SIGXFSZ'] as const;

export interface Program {
  readonly path: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

type Execve = (file: string, args: string[], env: Record<string, string>) => never;

/** process.execve, where this Node has it (22.15 and later). */
export function execveOf(proc: NodeJS.Process): Execve | undefined {
  const execve = (proc as unknown as { execve?: Execve }).execve;
  return typeof execve === 'function' ? execve.bind(proc) : undefined;
}

/**
 * Replaces this process with the program: same PID, so the program receives the container's
 * signals directly and nothing of Node stays resident. The stop gate hands the stop signals over
 * first (see StopGate); nothing asynchronous happens after that.
 */
export async function replaceProcess(execve: Execve, program: Program, gate: StopGate): Promise<never> {
  // NODE_COMPILE_CACHE is written at exit, which execve skips; an image can bake a warm cache in.
  // node:module is taken only then: a startup snapshot must not hold it, and loading it costs a
  // start without a compile cache half a millisecond for nothing (Node enables the cache only from
  // that variable, or from module.enableCompileCache(), which nothing here calls).
  if (process.env.NODE_COMPILE_CACHE) {
    (process.getBuiltinModule('node:module') as { flushCompileCache?: () => void }).flushCompileCache?.();
  }
  await gate.handOver();
  // A handled signal is reset to its default by execve; an ignored one would stay ignored.
  for (const signal of IGNORED_BY_NODE) process.on(signal, () => {});
  return execve(program.path, [program.path, ...program.args], { ...program.env });
}

/**
 * Where execve is missing: runs the program as a child (execa, loaded only here), passes on every
 * forwarded signal, and ends with the child's exit code, or 128 + signal number when a signal ended
 * it. There is no forced kill: pipecd and piped shut down gracefully on SIGTERM for as long as they need.
 */
export async function supervise(program: Program, gate: StopGate): Promise<number> {
  await gate.settle();
  const { execa } = await import('execa');
  const child = execa(program.path, [...program.args], {
    env: { ...program.env },
    extendEnv: false,
    stdio: 'inherit',
    reject: false,
    // execa's defaults kill the child: SIGKILL 5 s after a forwarded SIGTERM, and at our exit.
    forceKillAfterDelay: false,
    cleanup: false,
  });
  gate.forwardTo(child);
  const result = await child;
  if (result.signal) return signalExitCode(result.signal);
  if (result.exitCode !== undefined) return result.exitCode;
  const code = (result as { code?: string }).code;
  const failure = code === 'EACCES' ? programNotExecutable : programNotFound;
  throw failure(`the program ${program.path} could not be started (${code ?? 'error'})`, 'check the program in the image');
}
