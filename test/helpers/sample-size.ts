/**
 * How many configs a property test draws. `npm run mutate` (stryker.config.mjs sets
 * PIPECD_BOOTSTRAP_MUTATION) draws a fifth: a surviving mutant of src/render runs every test that
 * covers it, and the full samples made that 15 to 20 s a mutant (a run of src/render did not end in
 * 1 h 26 min). fast-check draws the same values from a seed whatever the count, so the smaller sample is
 * the first fifth of the larger: a mutant it kills, `npm test` kills too, and the score is a lower bound.
 */
export const sampleSize = (runs: number): number => (process.env.PIPECD_BOOTSTRAP_MUTATION ? Math.ceil(runs / 5) : runs);
