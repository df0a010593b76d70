import { constants } from 'node:os';
import type { Logger } from '../log.js';

/** The signals a supervisor passes on; the same set tini forwards. */
export const FORWARDED_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;
type Signal = (typeof FORWARDED_SIGNALS)[number];

export const signalExitCode = (signal: string): number => 128 + (constants.signals[signal as NodeJS.Signals] ?? 0);

/** What a supervisor forwards to: the running program. */
export interface Child {
  readonly pid?: number | undefined;
  kill(signal: Signal): unknown;
}

/** libuv's handle for one watched signal, as async_hooks hands it over (Node's SignalWrap). */
interface SignalHandle {
  close(onClosed: () => void): void;
}

/**
 * The stop gate: every stop signal that arrives before the program runs ends the start with
 * 128 + n and starts nothing; every one after reaches the program. Never a program running unaware.
 *
 * JavaScript handlers run only between turns of the event loop, so a signal that arrives during
 * synchronous work (rendering, writing, fsync) waits in libuv's signal pipe. A turn of the loop
 * runs it (exit 128 + n). What cannot be seen from JavaScript is a signal caught after the last
 * turn and before execve: execve would drop it with the handler. So, for execve, `handOver()`
 * closes libuv's handle of each signal, which puts the default disposition back (a signal from then
 * on kills the process before execve, or stays pending across execve and reaches the program), and
 * libuv defers the close of a handle while a caught signal is still unread in its pipe. A handle
 * whose close has not completed one turn later held a signal: the start ends with 128 + n.
 *
 * For a supervised child, `forwardTo()` turns the same handlers into forwarders: a signal caught
 * while the child is being spawned is handled once the spawn returns, and goes to the child.
 */
export interface StopGate {
  /** A turn of the event loop, so that handlers of signals caught during synchronous work run. */
  settle(): Promise<void>;
  /** Before execve: the default dispositions are back, and no signal was caught that is not handled. */
  handOver(): Promise<void>;
  /** Supervise: from now on a stop signal goes to the program. */
  forwardTo(child: Child): void;
}

// Two immediates: the first may run in the check phase of the turn whose poll phase is already over.
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const settle = async () => {
  await turn();
  await turn();
};

export function stopBeforeStart(log: Logger): StopGate {
  let child: Child | undefined;
  const stop = (signal: Signal): never => {
    log.warn({ signal }, 'stopped before the program started; nothing was started');
    process.exit(signalExitCode(signal));
  };
  const onSignal = (signal: Signal) => {
    if (!child) return stop(signal);
    log.info({ signal, pid: child.pid }, 'forwarding signal to the program');
    child.kill(signal);
  };

  const handles = new Map<Signal, SignalHandle>();
  let watching: Signal | undefined;
  const { createHook } = process.getBuiltinModule('node:async_hooks') as typeof import('node:async_hooks');
  const hook = createHook({
    init(_id, type, _trigger, resource) {
      if (type === 'SIGNALWRAP' && watching) handles.set(watching, resource as SignalHandle);
    },
  });
  hook.enable();
  try {
    for (const signal of FORWARDED_SIGNALS) {
      watching = signal;
      process.on(signal, () => onSignal(signal));
    }
  } finally {
    hook.disable();
  }

  return {
    settle,
    async handOver() {
      await settle();
      // Now in a check phase: closing the handles here, their close completes in this turn's close
      // phase unless a signal is waiting in the pipe; the next immediate runs before the next close phase.
      const closed = new Set<Signal>();
      for (const signal of FORWARDED_SIGNALS) {
        const handle = handles.get(signal);
        if (!handle) throw new Error(`no libuv handle seen for ${signal}`);
        handle.close(() => closed.add(signal));
      }
      await turn();
      const caught = FORWARDED_SIGNALS.find((signal) => !closed.has(signal));
      if (caught) stop(caught);
    },
    forwardTo(target: Child) {
      child = target;
    },
  };
}
