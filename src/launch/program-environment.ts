/** The environment the program gets: the container's, without the variables meant for the bootstrapper. */
export function programEnvironment(env: Readonly<Record<string, string | undefined>>, drop: readonly string[]): Record<string, string> {
  const dropped = new Set(drop);
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && !dropped.has(name)) kept[name] = value;
  return kept;
}

/**
 * Variables the program gets altered: Node decoded them as UTF-8 (U+FFFD for the bytes that were
 * not) and passes strings on, so their raw bytes cannot reach the program. Only names are returned.
 */
export function alteredVariables(kept: Readonly<Record<string, string>>, raw: () => ReadonlyMap<string, Buffer> | undefined): string[] {
  const suspects = Object.keys(kept).filter((name) => kept[name]!.includes('\uFFFD'));
  if (suspects.length === 0) return [];
  const bytes = raw();
  return suspects.filter((name) => bytes?.get(name)?.equals(Buffer.from(kept[name]!)) !== true);
}
