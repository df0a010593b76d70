import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, type Sandbox, type StartResult } from './bundle.js';

/**
 * What a container runtime does before it runs entryPoint + command: a new PID namespace (the command
 * is PID 1 and, as in Docker and ECS, the runtime's SIGTERM comes from outside it), the image's shell at
 * /bin/sh (a bind mount in a private mount namespace, so `sh` and a literal `/bin/sh` both find it), the
 * image's working directory and umask 022. An empty shell leaves /bin/sh alone.
 */
const SETUP = 'if [ -n "$1" ]; then mount --bind "$1" /bin/sh || exit 125; fi; cd "$2" || exit 125; umask 022; shift 2; exec "$@"';

export interface ContainerRun {
  /** The container's argv: entryPoint followed by command, as ECS joins them. */
  readonly argv: readonly string[];
  /** The image's /bin/sh (a path on this machine), or undefined to keep the machine's own. */
  readonly shell?: string;
  readonly workdir: string;
  readonly env: Readonly<Record<string, string>>;
  readonly sandbox: Sandbox;
}

export interface ProcessChain {
  /** comm of each process from the container's PID 1 down to the program (the program last). */
  readonly comms: string[];
}

export interface TerminatedRun {
  readonly result: StartResult;
  /** What the container wrote to stdout and stderr (the lines of unshare itself left out). */
  readonly log: string;
  /** Whether the program was still running when the runtime's SIGKILL came (false when it never came). */
  readonly killedRunning: boolean;
  /** The processes from PID 1 down to the program while it ran. */
  readonly chain: ProcessChain;
  /** Whether the program recorded the SIGTERM sent to the container's PID 1. */
  readonly termReached: boolean;
}

const wrap = (run: ContainerRun) => [
  'unshare',
  '--pid',
  '--fork',
  '--mount-proc',
  '/usr/bin/dash',
  '-c',
  SETUP,
  'container',
  run.shell ?? '',
  run.workdir,
];

/**
 * stdout and stderr of the container. unshare adds a line of its own when PID 1 dies of SIGKILL (it
 * cannot re-raise that signal); a container runtime has no such line, so it is left out.
 */
export const containerLog = (result: StartResult) =>
  result.stdout +
  result.stderr
    .split('\n')
    .filter((l) => !l.startsWith('unshare: '))
    .join('\n');

/** One container start whose program exits at once. */
export const startContainer = (run: ContainerRun) =>
  launch({ sandbox: run.sandbox, wrap: wrap(run), command: run.argv, env: { ...run.env, STAND_IN_BEHAVIOUR: 'exit:0' } }).done;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const childrenOf = (pid: number): number[] => {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
};

/** The innermost PID of a host process (its PID inside the container's namespace). */
const namespacePid = (pid: number) =>
  Number(
    /^NSpid:\s+(.*)$/m
      .exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]!
      .trim()
      .split(/\s+/)
      .pop(),
  );

/** The path from `root` down to the host process whose namespace PID is `target`. */
function pathTo(root: number, target: number): number[] | undefined {
  if (namespacePid(root) === target) return [root];
  for (const child of childrenOf(root)) {
    const below = pathTo(child, target);
    if (below) return [root, ...below];
  }
  return undefined;
}

/**
 * Starts the container, waits until the program runs, sends SIGTERM to the container's PID 1 (what
 * `docker stop` and ECS StopTask do), and waits `graceMs` for the program to record it. A program the
 * signal did not reach is ended with SIGKILL to PID 1, as the runtime does when stopTimeout runs out.
 */
export async function startAndTerminate(run: ContainerRun, graceMs: number): Promise<TerminatedRun> {
  const ready = join(run.sandbox.root, 'ready');
  const signals = `${run.sandbox.record}.signals`;
  const { child, done } = launch({
    sandbox: run.sandbox,
    wrap: wrap(run),
    command: run.argv,
    env: { ...run.env, STAND_IN_BEHAVIOUR: 'wait', STAND_IN_READY: ready, STAND_IN_TERM_EXIT: '42' },
  });
  let ended = false;
  void done.then(() => (ended = true));
  const until = Date.now() + 30_000;
  while (!existsSync(ready) || readFileSync(ready, 'utf8') === '') {
    if (ended || Date.now() > until) throw new Error(`the program never started: ${(await done).stderr}`);
    await sleep(20);
  }
  const init = childrenOf(child.pid!)[0]!;
  const path = pathTo(init, Number(readFileSync(ready, 'utf8')));
  if (!path) throw new Error('the program is not below the container init');
  const comms = path.map((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim());
  process.kill(init, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (!existsSync(signals) && !ended && Date.now() < deadline) await sleep(20);
  const termReached = existsSync(signals) && readFileSync(signals, 'utf8').includes('SIGTERM');
  // A program that got SIGTERM is left to exit with its own code; one that did not is killed.
  const killedRunning = !termReached && !ended && existsSync(`/proc/${path.at(-1)}`);
  if (!termReached && !ended) process.kill(init, 'SIGKILL');
  const result = await done;
  return { result, log: containerLog(result), chain: { comms }, termReached, killedRunning };
}
