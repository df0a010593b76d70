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
  // envoyproxy/envoy's entrypoint drops from root to its envoy user (101) unless ENVOY_UID=0.
  imageUser: { uid: 101, gid: 101 },
  args: (files) => ['-c', fileOf(files, 'ENVOY_CONFIG')],
};
