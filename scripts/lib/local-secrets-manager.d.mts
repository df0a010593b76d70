export function startLocalSecretsManager(): Promise<{ endpoint: string; stop: () => void }>;
