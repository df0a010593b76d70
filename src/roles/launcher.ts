import type { RoleSpec } from '../domain.js';
import { INPUTS } from '../inputs/catalog.js';
import { fileOf, optional, required } from './role.js';

/** piped's launcher, which runs the piped version the control plane asks for. */
export const launcher: RoleSpec = {
  name: 'launcher',
  summary: 'launcher (runs the piped version set in the control plane)',
  inputs: [required(INPUTS.pipedConfig), optional(INPUTS.pipedKey)],
  settings: [],
  programs: ['launcher'],
  // piped itself, and through it git, kubectl, terraform.
  startsChildren: true,
  args: (files) => ['launcher', `--config-file=${fileOf(files, 'PIPED_CONFIG')}`],
};
