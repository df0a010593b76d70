import type { Logger } from '../log.js';
import { FORWARDED_SIGNALS, signalExitCode } from './exec.js';

/**
 * Until the program runs, a stop request ends the start: nothing is left half-done that matters.
 * Returns the function that hands the signals over to the program's start.
 */
export function stopBeforeStart(log: Logger): () => void {
  const handlers = FORWARDED_SIGNALS.map((signal) => {
    const handler = () => {
      log.warn({ signal }, 'stopped before the program started; nothing was started');
      process.exit(signalExitCode(signal));
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => handlers.forEach(([signal, handler]) => process.off(signal, handler));
}
