import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FORWARDED_SIGNALS, stopBeforeStart } from '../../src/launch/stop-before-start.js';
import { createLogger } from '../../src/log.js';
import { capture, type Captured } from './capture.js';

/**
 * handOver() with real signals. libuv watches signals on the main thread only, so this file runs in
 * a process of its own (vitest.pure.config.ts gives it the forks pool): the signals are sent with
 * kill(2) to that process, and what the kernel will do with the next one is read from
 * /proc/self/status (SigCgt: the signals a handler catches). process.exit is replaced by a
 * recorder, so that the test process survives a stop (a handler's exit would end the start there).
 */
const caught = () => {
  const mask = BigInt(`0x${/^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]}`);
  return FORWARDED_SIGNALS.filter((s) => (mask >> BigInt(constants.signals[s] - 1)) & 1n);
};
let cap: Captured;
let exits: unknown[];
const before = new Map(FORWARDED_SIGNALS.map((s) => [s, process.listeners(s)]));
beforeEach(() => {
  cap = capture();
  exits = [];
  vi.spyOn(process, 'exit').mockImplementation((code) => void exits.push(code) as never);
});
afterEach(() => {
  vi.restoreAllMocks();
  cap.restore();
  for (const [signal, listeners] of before) for (const l of process.listeners(signal)) if (!listeners.includes(l)) process.off(signal, l);
});

describe.runIf(isMainThread)('handOver() on the main thread, with signals from the kernel', () => {
  it('no signal: every stop signal is caught while the gate holds, and has its default disposition (SIG_DFL) after handOver(); nothing is logged', async () => {
    const gate = stopBeforeStart(createLogger('json'));
    expect(caught()).toEqual([...FORWARDED_SIGNALS]);
    await gate.handOver();
    expect(caught()).toEqual([]);
    expect(cap.lines()).toEqual([]);
    expect(exits).toEqual([]);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGUSR2', 140],
  ] as const)('%s caught during synchronous work before handOver(): exit %i, one warning', async (signal, code) => {
    const gate = stopBeforeStart(createLogger('json'));
    process.kill(process.pid, signal);
    await gate.handOver();
    expect(exits).toEqual([code]);
    expect(cap.lines().map(({ time: _t, ...rest }) => rest)).toEqual([
      { level: 'warn', logger: 'pipecd-bootstrap', signal, msg: 'stopped before the program started; nothing was started' },
    ]);
  });
});
