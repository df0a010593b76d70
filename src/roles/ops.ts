import type { RoleSpec } from '../domain.js';
import { INPUTS } from '../inputs/catalog.js';
import { fileOf, optional, required } from './role.js';

/** `pipecd ops`: the control plane's housekeeping. It has no --encryption-key-file flag. */
export const ops: RoleSpec = {
  name: 'ops',
  summary: 'pipecd ops (control plane housekeeping)',
  inputs: [required(INPUTS.controlPlaneConfig), optional(INPUTS.mysqlUsername), optional(INPUTS.mysqlPassword)],
  settings: ['DATASTORE_HOST', 'CACHE_ADDRESS'],
  programs: ['controlplane', 'pipecd'],
  // gcloud, to ensure Firestore indexes (pkg/app/ops/firestoreindexensurer).
  startsChildren: true,
  // The same image as server: root.
  imageUser: { uid: 0, gid: 0 },
  args: (files, settings) => [
    'ops',
    `--config-file=${fileOf(files, 'CONTROL_PLANE_CONFIG')}`,
    ...(settings.cacheAddress === undefined ? [] : [`--cache-address=${settings.cacheAddress}`]),
  ],
};
