import { describe, expect, it } from 'vitest';
import { execveOf } from '../../src/launch/exec.js';
import { FORWARDED_SIGNALS, signalExitCode } from '../../src/launch/stop-before-start.js';

describe('signals and execve', () => {
  it('forwards the signals tini forwards', () => {
    expect(FORWARDED_SIGNALS).toEqual(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2']);
  });

  it.each([
    ['SIGHUP', 129],
    ['SIGINT', 130],
    ['SIGQUIT', 131],
    ['SIGKILL', 137],
    ['SIGUSR1', 138],
    ['SIGUSR2', 140],
    ['SIGTERM', 143],
    ['SIGNOPE', 128],
  ])('a program ended by %s exits %i, as a shell reports it', (signal, code) => {
    expect(signalExitCode(signal)).toBe(code);
  });

  it('process.execve is used where this Node has it, bound to the process', () => {
    const calls: unknown[] = [];
    const proc = {
      execve(this: unknown, ...args: unknown[]) {
        calls.push([this, ...args]);
        return undefined as never;
      },
    };
    const execve = execveOf(proc as unknown as NodeJS.Process)!;
    execve('/bin/x', ['/bin/x'], { A: '1' });
    expect(calls).toEqual([[proc, '/bin/x', ['/bin/x'], { A: '1' }]]);
    expect(execveOf({} as NodeJS.Process)).toBeUndefined();
    expect(execveOf({ execve: 'no' } as unknown as NodeJS.Process)).toBeUndefined();
  });
});
