/** The environment the program gets: the container's, without the variables meant for the bootstrapper. */
export function programEnvironment(env: Readonly<Record<string, string | undefined>>, drop: readonly string[]): Record<string, string> {
  const dropped = new Set(drop);
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && !dropped.has(name)) kept[name] = value;
  return kept;
}
