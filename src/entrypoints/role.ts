import type { InputName, RoleInput, RoleName, Settings } from '../domain.js';

export type SettingName = 'DATASTORE_HOST' | 'CACHE_ADDRESS';

/** What a role needs and which flags its program gets; nothing else lives in a role module. */
export interface RoleSpec {
  readonly name: RoleName;
  readonly summary: string;
  readonly inputs: readonly RoleInput[];
  readonly settings: readonly SettingName[];
  /** Program names searched on PATH, in order, when PIPECD_BINARY is not set. */
  readonly programs: readonly string[];
  /** The program's arguments, given the path of each file written for it. */
  args(files: ReadonlyMap<InputName, string>, settings: Settings): string[];
}

export const required = <T>(spec: T) => ({ spec, required: true });
export const optional = <T>(spec: T) => ({ spec, required: false });

export function fileOf(files: ReadonlyMap<InputName, string>, name: InputName): string {
  const path = files.get(name);
  if (path === undefined) throw new Error(`no file rendered for ${name}`);
  return path;
}
