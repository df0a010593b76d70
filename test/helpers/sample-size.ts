/**
 * How many configs a property test draws. `npm run mutate` (stryker.config.mjs sets
 * PIPECD_BOOTSTRAP_MUTATION) draws a fifth: a surviving mutant of src/render runs every test that
 * covers it, and the full samples made that 15 to 20 s a mutant (a run of src/render did not end in
 * 1 h 26 min). fast-check draws the same values from a seed whatever the count, so the smaller sample is
 * the first fifth of the larger: a mutant that fails a check of one config fails it under `npm test`
 * too. The minimum counts (how many configs a generator must yield) scale with the sample, so a
 * mutant caught only by a minimum is not certain to be caught with the full sample.
 */
export const sampleSize = (runs: number): number => (process.env.PIPECD_BOOTSTRAP_MUTATION ? Math.ceil(runs / 5) : runs);
