import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { LabelParameterVersionCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

export const REGION = 'us-east-1';

export function endpoint(): string {
  return inject('motoEndpoint');
}

/** The test's own client, used only to put secrets into the local endpoint. */
export function seedClient(url = endpoint(), region = REGION): SecretsManagerClient {
  return new SecretsManagerClient({ region, endpoint: url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
}

export const uniqueName = (stem: string) => `${stem}-${randomBytes(5).toString('hex')}`;

export interface CreatedSecret {
  readonly name: string;
  readonly arn: string;
  readonly versionId: string;
}

export async function createSecret(stem: string, value: string | Uint8Array, region = REGION): Promise<CreatedSecret> {
  const client = seedClient(endpoint(), region);
  const name = uniqueName(stem);
  const out = await client.send(
    new CreateSecretCommand(typeof value === 'string' ? { Name: name, SecretString: value } : { Name: name, SecretBinary: value }),
  );
  client.destroy();
  return { name, arn: out.ARN!, versionId: out.VersionId! };
}

export async function putSecretValue(secretId: string, value: string, stages?: string[], region = REGION): Promise<string> {
  const client = seedClient(endpoint(), region);
  const out = await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: value, ...(stages ? { VersionStages: stages } : {}) }));
  client.destroy();
  return out.VersionId!;
}

export interface PutParameter {
  readonly name: string;
  readonly value: string;
  readonly type?: 'String' | 'StringList' | 'SecureString';
  readonly region?: string;
  readonly overwrite?: boolean;
}

/** Puts a parameter into the local endpoint's SSM Parameter Store; returns its version. */
export async function putParameter(p: PutParameter): Promise<number> {
  const client = new SSMClient({ region: p.region ?? REGION, endpoint: endpoint(), credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const out = await client.send(new PutParameterCommand({ Name: p.name, Value: p.value, Type: p.type ?? 'SecureString', Overwrite: p.overwrite ?? false }));
  client.destroy();
  return out.Version!;
}

export async function labelParameter(name: string, version: number, labels: string[]): Promise<void> {
  const client = new SSMClient({ region: REGION, endpoint: endpoint(), credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  await client.send(new LabelParameterVersionCommand({ Name: name, ParameterVersion: version, Labels: labels }));
  client.destroy();
}
