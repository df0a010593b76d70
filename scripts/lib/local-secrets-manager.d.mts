import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
export function startLocalSecretsManager(): Promise<{ endpoint: string; stop: () => void }>;
export const LOCAL_REGION: string;
export function localSecretsClient(endpoint: string, region?: string): SecretsManagerClient;
export function putSecret(
  endpoint: string,
  name: string,
  value: string | Uint8Array,
  region?: string,
): Promise<{ name: string; arn: string; versionId: string }>;
