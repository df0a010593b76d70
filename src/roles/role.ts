import type { InputName, InputSpec, RoleInput } from '../domain.js';

export const required = (spec: InputSpec): RoleInput => ({ spec, required: true });
export const optional = (spec: InputSpec): RoleInput => ({ spec, required: false });

export function fileOf(files: ReadonlyMap<InputName, string>, name: InputName): string {
  const path = files.get(name);
  if (path === undefined) throw new Error(`no file rendered for ${name}`);
  return path;
}
