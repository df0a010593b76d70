import type { LaunchPlan } from '../domain.js';
import { ALL_INPUTS } from '../inputs/catalog.js';
import { FILE_MODE } from '../output/write-files.js';

/**
 * Only a config's size is shown. A digest of a file that holds a key, a user name or a password
 * (or of a config holding one) lets anyone who reads the printout test guesses offline, and a
 * password people chose does not survive that; the size of a credential tells its length.
 */
const isConfig = (input: string) => ALL_INPUTS.some((spec) => spec.name === input && spec.kind.endsWith('-config'));

/** The plan as `render` prints it: paths, modes and the sizes of configs; never a value, nor a digest of one. */
export function describePlan(plan: LaunchPlan, program: string | undefined, removed: readonly string[]) {
  return {
    role: plan.role,
    program: program ?? null,
    args: plan.args,
    files: plan.files.map((f) => ({
      input: f.input,
      path: f.path,
      mode: `0${FILE_MODE.toString(8)}`,
      ...(isConfig(f.input) ? { size: f.contents.length } : {}),
    })),
    environmentRemoved: removed,
  };
}

export function printPlan(plan: LaunchPlan, program: string | undefined, removed: readonly string[]): void {
  process.stdout.write(`${JSON.stringify(describePlan(plan, program, removed), null, 2)}\n`);
}
