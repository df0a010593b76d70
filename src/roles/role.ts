import type { InputLocation, InputName, InputSpec, RoleInput } from '../domain.js';

export const required = (spec: InputSpec): RoleInput => ({ spec, required: true });
export const optional = (spec: InputSpec): RoleInput => ({ spec, required: false });

export function fileOf(where: ReadonlyMap<InputName, InputLocation>, name: InputName): string {
  const location = where.get(name);
  if (location?.kind !== 'file') throw new Error(`no file rendered for ${name}`);
  return location.path;
}
