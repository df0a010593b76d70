const round = (ms: number) => Math.round(ms * 10) / 10;

/** Milliseconds per step (`lap`) and in all (`total`), as the log lines report them. */
export function stopwatch(): { lap(): number; total(): number } {
  const begin = performance.now();
  let mark = begin;
  return {
    lap() {
      const now = performance.now();
      const ms = round(now - mark);
      mark = now;
      return ms;
    },
    total: () => round(performance.now() - begin),
  };
}
