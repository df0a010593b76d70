import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BootstrapError } from '../../src/errors.js';
import { replaceProcess, supervise } from '../../src/launch/exec.js';
import { FORWARDED_SIGNALS, stopBeforeStart, type StopGate } from '../../src/launch/stop-before-start.js';
import { createLogger } from '../../src/log.js';
import { capture, type Captured } from './capture.js';

/**
 * The stop gate's handlers in-process. A vitest worker thread receives no signals (Node delivers
 * them to the main thread only), so each test calls the handler the gate installed, as libuv would
 * on a signal; process.exit, which would end the worker, is replaced by a throw that carries the
 * code. The kernel side (signals really sent, execve's dispositions) is in
 * test/signals-before-start.test.ts and test/signal-window.test.ts.
 */
class Exit extends Error {
  constructor(readonly code: number | string | null | undefined) {
    super(`exit ${code}`);
  }
}
const before = new Map(FORWARDED_SIGNALS.map((s) => [s, process.listeners(s)]));
const installed = (signal: (typeof FORWARDED_SIGNALS)[number]) => process.listeners(signal).filter((l) => !before.get(signal)!.includes(l));
let cap: Captured;
let gate: StopGate;

beforeEach(() => {
  cap = capture();
  vi.spyOn(process, 'exit').mockImplementation((code) => {
    throw new Exit(code);
  });
  gate = stopBeforeStart(createLogger('json'));
});
afterEach(() => {
  vi.restoreAllMocks();
  cap.restore();
  for (const [signal, listeners] of before) for (const l of process.listeners(signal)) if (!listeners.includes(l)) process.off(signal, l);
});
const steady = () => cap.lines().map(({ time: _t, ...rest }) => rest);

describe('stopBeforeStart', () => {
  it('installs one handler for each forwarded signal', () => {
    for (const signal of FORWARDED_SIGNALS) expect(installed(signal)).toHaveLength(1);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
    ['SIGQUIT', 131],
    ['SIGUSR1', 138],
    ['SIGUSR2', 140],
  ] as const)('%s before the program runs: one warning, exit %i, nothing started', (signal, code) => {
    expect(() => installed(signal)[0]!(signal)).toThrow(new Exit(code));
    expect(steady()).toEqual([
      { level: 'warn', logger: 'pipecd-bootstrap', signal, msg: 'stopped before the program started; nothing was started' },
    ]);
  });

  it('after forwardTo(child), each signal goes to the running program and is logged with its pid', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const ended = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await new Promise((resolve) => child.once('spawn', resolve));
    gate.forwardTo(child as Parameters<StopGate['forwardTo']>[0]);
    installed('SIGUSR1')[0]!('SIGUSR1');
    expect(await ended).toBe('SIGUSR1');
    expect(steady()).toEqual([
      { level: 'info', logger: 'pipecd-bootstrap', signal: 'SIGUSR1', pid: child.pid, msg: 'forwarding signal to the program' },
    ]);
    expect(process.exit).not.toHaveBeenCalled();
  });

  it('settle() takes two turns of the event loop: an immediate queued before it has run when it resolves', async () => {
    const order: string[] = [];
    setImmediate(() => setImmediate(() => order.push('second turn')));
    await gate.settle();
    order.push('settled');
    expect(order).toEqual(['second turn', 'settled']);
  });
});

describe('replaceProcess', () => {
  it('hands the stop signals over first, then execve with argv[0] the path and a copy of the environment; SIGPIPE and SIGXFSZ get handlers so execve resets them', async () => {
    const steps: string[] = [];
    const env = { A: '1', B: 'two' };
    const pipe = process.listeners('SIGPIPE').length;
    const xfsz = process.listeners('SIGXFSZ').length;
    const handOverGate: StopGate = {
      settle: async () => void steps.push('settle'),
      handOver: async () => void steps.push('handOver'),
      forwardTo: () => void steps.push('forwardTo'),
    };
    // process.execve would replace this worker: a recording function takes its place.
    const execve = (file: string, args: string[], environment: Record<string, string>): never => {
      steps.push('execve');
      throw Object.assign(new Exit(0), { file, args, environment });
    };
    const error = (await replaceProcess(execve, { path: '/opt/bin/pipecd', args: ['server', '--x=1'], env }, handOverGate).catch(
      (e: unknown) => e,
    )) as Exit & { file: string; args: string[]; environment: Record<string, string> };
    expect(steps).toEqual(['handOver', 'execve']);
    expect([error.file, error.args, error.environment]).toEqual(['/opt/bin/pipecd', ['/opt/bin/pipecd', 'server', '--x=1'], env]);
    expect(error.environment).not.toBe(env);
    expect([process.listeners('SIGPIPE').length - pipe, process.listeners('SIGXFSZ').length - xfsz]).toEqual([1, 1]);
    process.removeListener('SIGPIPE', process.listeners('SIGPIPE').at(-1)!);
    process.removeListener('SIGXFSZ', process.listeners('SIGXFSZ').at(-1)!);
  });
});

describe('replaceProcess and NODE_COMPILE_CACHE', () => {
  // The cache itself is written across a real execve in test/exec.test.ts; here, whether the
  // flush is asked for: a spy on node:module's flushCompileCache, since a worker cannot execve.
  const nodeModule = process.getBuiltinModule('node:module') as { flushCompileCache: () => void };
  const gate: StopGate = { settle: async () => {}, handOver: async () => {}, forwardTo: () => {} };
  const execve = (): never => {
    throw new Exit(0);
  };
  afterEach(() => {
    delete process.env.NODE_COMPILE_CACHE;
    for (const signal of ['SIGPIPE', 'SIGXFSZ'] as const) process.removeListener(signal, process.listeners(signal).at(-1)!);
  });
  it.each([
    ['set', '/var/cache/node', 1],
    ['empty', '', 0],
    ['unset', undefined, 0],
  ] as const)('NODE_COMPILE_CACHE %s (%j): the compile cache is flushed %i times before execve', async (_, value, times) => {
    if (value !== undefined) process.env.NODE_COMPILE_CACHE = value;
    const flush = vi.spyOn(nodeModule, 'flushCompileCache').mockImplementation(() => {});
    await expect(replaceProcess(execve, { path: '/bin/true', args: [], env: {} }, gate)).rejects.toThrow(new Exit(0));
    expect(flush).toHaveBeenCalledTimes(times);
  });
});

describe('supervise (Node without execve)', () => {
  const steps: string[] = [];
  const recordingGate: StopGate = {
    settle: async () => void steps.push('settle'),
    handOver: async () => void steps.push('handOver'),
    forwardTo: (child) => void steps.push(`forwardTo ${typeof child.pid}`),
  };
  const sh = (script: string, env: Record<string, string> = {}) => ({ path: '/bin/sh', args: ['-c', script], env });
  const failure = (e: unknown) => {
    if (!(e instanceof BootstrapError)) throw e;
    return { exitCode: e.exitCode, message: e.message, hint: e.hint };
  };
  beforeEach(() => void steps.splice(0));

  it("settles, then forwards to the child, and ends with the child's exit code", async () => {
    expect(await supervise(sh('exit 3'), recordingGate)).toBe(3);
    expect(steps).toEqual(['settle', 'forwardTo number']);
    expect(await supervise(sh('exit 0'), recordingGate)).toBe(0);
  });

  it('a child ended by a signal: 128 + its number', async () => {
    expect(await supervise(sh('kill -TERM $$'), recordingGate)).toBe(143);
    expect(await supervise(sh('kill -USR2 $$'), recordingGate)).toBe(140);
  });

  it('the child gets exactly the environment given, none of this process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'supervise-'));
    const out = join(dir, 'env');
    expect(await supervise(sh(`/usr/bin/env > ${out}`, { ONLY: 'this', PATH: '/usr/bin:/bin' }), recordingGate)).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n').filter(Boolean).sort()).toEqual(
      ['ONLY=this', 'PATH=/usr/bin:/bin', expect.stringMatching(/^PWD=/)].sort(),
    );
  });

  it('a program that cannot start: 127 when missing, 126 when not executable, nothing else ran', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'supervise-'));
    const missing = join(dir, 'missing');
    const plain = join(dir, 'plain');
    writeFileSync(plain, '#!/bin/sh\nexit 0\n', { mode: 0o644 });
    expect(await supervise({ path: missing, args: [], env: {} }, recordingGate).catch(failure)).toEqual({
      exitCode: 127,
      message: `the program ${missing} could not be started (ENOENT)`,
      hint: 'check the program in the image',
    });
    expect(await supervise({ path: plain, args: [], env: {} }, recordingGate).catch(failure)).toEqual({
      exitCode: 126,
      message: `the program ${plain} could not be started (EACCES)`,
      hint: 'check the program in the image',
    });
  });
});
