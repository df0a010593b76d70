import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

export const REGION = 'us-east-1';

export function endpoint(): string {
  return inject('motoEndpoint');
}

/** The test's own client, used only to put secrets into the local endpoint. */
export function seedClient(url = endpoint()): SecretsManagerClient {
  return new SecretsManagerClient({ region: REGION, endpoint: url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
}

export const uniqueName = (stem: string) => `${stem}-${randomBytes(5).toString('hex')}`;

export interface CreatedSecret {
  readonly name: string;
  readonly arn: string;
  readonly versionId: string;
}

export async function createSecret(stem: string, value: string | Uint8Array): Promise<CreatedSecret> {
  const client = seedClient();
  const name = uniqueName(stem);
  const out = await client.send(
    new CreateSecretCommand(typeof value === 'string' ? { Name: name, SecretString: value } : { Name: name, SecretBinary: value }),
  );
  client.destroy();
  return { name, arn: out.ARN!, versionId: out.VersionId! };
}

export async function putSecretValue(secretId: string, value: string, stages?: string[]): Promise<string> {
  const client = seedClient();
  const out = await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: value, ...(stages ? { VersionStages: stages } : {}) }));
  client.destroy();
  return out.VersionId!;
}
