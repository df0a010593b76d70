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
  args: (files) => ['piped', `--config-file=${fileOf(files, 'PIPED_CONFIG')}`],
};
