import type { LaunchPlan, Owner } from '../domain.js';
import { FILE_MODE } from '../output/write-files.js';

/**
 * What `write` prints for the program's container: its `command` (the argv after the image's own
 * ENTRYPOINT, which in PipeCD's and envoy's official images is the program), with static paths and
 * no $VAR, and the files written, with their owner. Nothing in it is a value.
 */
export function printInitCommand(plan: LaunchPlan, owner: Owner): void {
  const files = plan.files.map((f) => ({
    input: f.input,
    path: f.path,
    mode: `0${FILE_MODE.toString(8)}`,
    uid: owner.uid,
    gid: owner.gid,
  }));
  process.stdout.write(`${JSON.stringify({ role: plan.role, command: plan.args, files })}\n`);
}
