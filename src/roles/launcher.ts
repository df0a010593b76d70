import type { InputLocation, InputName, RoleSpec } from '../domain.js';
import { INPUTS } from '../inputs/catalog.js';
import { fileOf, optional, required } from './role.js';

/** The launcher's own flags for where it reads its config (pkg/app/launcher/cmd/launcher/launcher.go). */
function configFlags(where: ReadonlyMap<InputName, InputLocation>): string[] {
  const location = where.get('PIPED_CONFIG');
  if (location?.kind === 'secretsmanager') return ['--config-from-aws-secret', `--aws-secret-id=${location.secretId}`];
  if (location?.kind === 'ssm') return ['--config-from-aws-ssm-parameter-store', `--aws-ssm-parameter=${location.name}`];
  return [`--config-file=${fileOf(where, 'PIPED_CONFIG')}`];
}

/**
 * piped's launcher, which runs the piped version the control plane asks for. It re-reads its config
 * source every minute (--check-interval) and restarts piped when the config changed.
 */
export const launcher: RoleSpec = {
  name: 'launcher',
  summary: 'launcher (runs the piped version set in the control plane)',
  inputs: [required(INPUTS.pipedConfig), optional(INPUTS.pipedKey)],
  settings: ['LAUNCHER_CONFIG'],
  programs: ['launcher'],
  // piped itself, and through it git, kubectl, terraform.
  startsChildren: true,
  // piped-base: USER piped (1000).
  imageUser: { uid: 1000, gid: 1000 },
  rereads: 'PIPED_CONFIG',
  args: (where) => ['launcher', ...configFlags(where)],
};
