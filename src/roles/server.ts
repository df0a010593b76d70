import type { RoleSpec } from '../domain.js';
import { INPUTS } from '../inputs/catalog.js';
import { fileOf, optional, required } from './role.js';

/** `pipecd server`: the control plane's API and web server. */
export const server: RoleSpec = {
  name: 'server',
  summary: 'pipecd server (control plane API and web)',
  inputs: [
    required(INPUTS.controlPlaneConfig),
    required(INPUTS.encryptionKey),
    optional(INPUTS.mysqlUsername),
    optional(INPUTS.mysqlPassword),
  ],
  settings: ['DATASTORE_HOST', 'CACHE_ADDRESS'],
  programs: ['controlplane', 'pipecd'],
  startsChildren: false,
  // ghcr.io/pipe-cd/pipecd and controlplane set no USER: root.
  imageUser: { uid: 0, gid: 0 },
  args: (files, settings) => [
    'server',
    `--config-file=${fileOf(files, 'CONTROL_PLANE_CONFIG')}`,
    `--encryption-key-file=${fileOf(files, 'ENCRYPTION_KEY')}`,
    ...(settings.cacheAddress === undefined ? [] : [`--cache-address=${settings.cacheAddress}`]),
  ],
};
