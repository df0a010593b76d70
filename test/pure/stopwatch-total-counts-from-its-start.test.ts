import { afterEach, describe, expect, it, vi } from 'vitest';
import { stopwatch } from '../../src/cli/stopwatch.js';

afterEach(() => void vi.useRealTimers());

describe('stopwatch total', () => {
  it('counts from when the stopwatch started, not from when the clock did', () => {
    vi.useFakeTimers({ toFake: ['hrtime'] });
    vi.advanceTimersByTime(5000);
    const clock = stopwatch();
    vi.advanceTimersByTime(7.25);
    expect(clock.total()).toBe(7.3);
    expect(clock.lap()).toBe(7.3);
    vi.advanceTimersByTime(2);
    expect(clock.total()).toBe(9.3);
  });
});
