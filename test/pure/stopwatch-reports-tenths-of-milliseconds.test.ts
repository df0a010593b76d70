import { afterEach, describe, expect, it, vi } from 'vitest';
import { stopwatch } from '../../src/cli/stopwatch.js';

afterEach(() => void vi.useRealTimers());

describe('stopwatch', () => {
  it('laps since the last lap and the total since the start, to a tenth of a millisecond', () => {
    vi.useFakeTimers({ toFake: ['hrtime'] });
    const clock = stopwatch();
    vi.advanceTimersByTime(12.34);
    expect(clock.lap()).toBe(12.3);
    vi.advanceTimersByTime(0.26);
    expect(clock.lap()).toBe(0.3);
    expect(clock.total()).toBe(12.6);
    vi.advanceTimersByTime(100);
    expect(clock.total()).toBe(112.6);
    expect(clock.lap()).toBe(100);
  });
});
