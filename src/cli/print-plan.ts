import type { LaunchPlan } from '../domain.js';
import { FILE_MODE } from '../output/write-files.js';

/** The plan as `render` prints it: paths, modes, sizes and digests; never a value. */
export function describePlan(plan: LaunchPlan, program: string | undefined, removed: readonly string[]) {
  // Only render needs digests; a start does not load node:crypto (nor can a snapshot import() it).
  const { createHash } = process.getBuiltinModule('node:crypto');
  return {
    role: plan.role,
    program: program ?? null,
    args: plan.args,
    files: plan.files.map((f) => ({
      input: f.input,
      path: f.path,
      mode: `0${FILE_MODE.toString(8)}`,
      size: f.contents.length,
      sha256: createHash('sha256').update(f.contents).digest('hex'),
    })),
    environmentRemoved: removed,
  };
}

export function printPlan(plan: LaunchPlan, program: string | undefined, removed: readonly string[]): void {
  process.stdout.write(`${JSON.stringify(describePlan(plan, program, removed), null, 2)}\n`);
}
