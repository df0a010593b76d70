import type { RoleName, RoleSpec } from '../domain.js';
import { gateway } from './gateway.js';
import { launcher } from './launcher.js';
import { ops } from './ops.js';
import { piped } from './piped.js';
import { server } from './server.js';

export const ROLES: Readonly<Record<RoleName, RoleSpec>> = { server, ops, gateway, piped, launcher };

export const isRoleName = (name: string): name is RoleName => Object.hasOwn(ROLES, name);
