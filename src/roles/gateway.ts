import type { RoleSpec } from '../domain.js';
import { INPUTS } from '../inputs/catalog.js';
import { fileOf, required } from './role.js';

/** The envoy gateway in front of the control plane. */
export const gateway: RoleSpec = {
  name: 'gateway',
  summary: 'envoy (control plane gateway)',
  inputs: [required(INPUTS.envoyConfig)],
  settings: [],
  programs: ['envoy'],
  startsChildren: false,
  args: (files) => ['-c', fileOf(files, 'ENVOY_CONFIG')],
};
