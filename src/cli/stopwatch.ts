const round = (ms: number) => Math.round(ms * 10) / 10;

// process.hrtime rather than performance.now(): the global `performance` loads node:perf_hooks at its
// first use, about a millisecond of every start.
const now = () => Number(process.hrtime.bigint()) / 1e6;

/** Milliseconds per step (`lap`) and in all (`total`), as the log lines report them. */
export function stopwatch(): { lap(): number; total(): number } {
  const begin = now();
  let mark = begin;
  return {
    lap() {
      const at = now();
      const ms = round(at - mark);
      mark = at;
      return ms;
    },
    total: () => round(now() - begin),
  };
}
