export function startLocalSecretsManager(options?: { initialNoAuthActionCount?: number }): Promise<{ endpoint: string; stop: () => void }>;
