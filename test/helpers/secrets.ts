import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { LOCAL_REGION, localSecretsClient, putSecret } from '../../scripts/lib/local-secrets-manager.mjs';

export const REGION = LOCAL_REGION;

export function endpoint(): string {
  return inject('motoEndpoint');
}

export const uniqueName = (stem: string) => `${stem}-${randomBytes(5).toString('hex')}`;

export interface CreatedSecret {
  readonly name: string;
  readonly arn: string;
  readonly versionId: string;
}

/** A new secret with a unique name in the local endpoint. */
export const createSecret = (stem: string, value: string | Uint8Array): Promise<CreatedSecret> =>
  putSecret(endpoint(), uniqueName(stem), value);

export async function putSecretValue(secretId: string, value: string, stages?: string[]): Promise<string> {
  const client = localSecretsClient(endpoint());
  try {
    const out = await client.send(
      new PutSecretValueCommand({ SecretId: secretId, SecretString: value, ...(stages ? { VersionStages: stages } : {}) }),
    );
    return out.VersionId!;
  } finally {
    client.destroy();
  }
}
