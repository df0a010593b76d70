// Surviving mutants that no test can kill because the mutated code behaves the same. Each one is
// listed in docs/mutation.md with its reason; it is never excluded from the run itself. Matched by
// file, mutator, the original text and the replacement, so that line shifts do not lose it.
export const EQUIVALENTS = [];
