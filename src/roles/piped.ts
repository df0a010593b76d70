import type { RoleSpec } from '../domain.js';
import { INPUTS } from '../inputs/catalog.js';
import { fileOf, optional, required } from './role.js';

/** piped, the agent; its binary takes the subcommand `piped`. */
export const piped: RoleSpec = {
  name: 'piped',
  summary: 'piped (the deployment agent)',
  inputs: [required(INPUTS.pipedConfig), optional(INPUTS.pipedKey)],
  settings: [],
  programs: ['piped'],
  // git, kubectl, terraform, helm, ... for every deployment.
  startsChildren: true,
  // piped-base: USER piped (1000).
  imageUser: { uid: 1000, gid: 1000 },
  args: (files) => ['piped', `--config-file=${fileOf(files, 'PIPED_CONFIG')}`],
};
