/**
 * Runs body with this worker's process.env holding env in place of every AWS_ variable, and puts the
 * environment back after: the SDK reads its settings from process.env, as in a container.
 */
export async function withProcessEnv<T>(env: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
  Object.assign(process.env, env);
  try {
    return await body();
  } finally {
    for (const name of Object.keys(process.env)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}
