import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { LabelParameterVersionCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
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

/** A new secret with a unique name in the local endpoint (moto serves any region). */
export const createSecret = (stem: string, value: string | Uint8Array, region = REGION): Promise<CreatedSecret> =>
  putSecret(endpoint(), uniqueName(stem), value, region);

export async function putSecretValue(secretId: string, value: string, stages?: string[], region = REGION): Promise<string> {
  const client = localSecretsClient(endpoint(), region);
  try {
    const out = await client.send(
      new PutSecretValueCommand({ SecretId: secretId, SecretString: value, ...(stages ? { VersionStages: stages } : {}) }),
    );
    return out.VersionId!;
  } finally {
    client.destroy();
  }
}

/** A client of the local endpoint's SSM Parameter Store, to put test parameters. */
const localSsmClient = (region = REGION) =>
  new SSMClient({ region, endpoint: endpoint(), credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

export interface PutParameter {
  readonly name: string;
  readonly value: string;
  readonly type?: 'String' | 'StringList' | 'SecureString';
  readonly overwrite?: boolean;
}

/** Puts a parameter (a SecureString unless told) into the local endpoint; returns its version. */
export async function putParameter(p: PutParameter): Promise<number> {
  const client = localSsmClient();
  try {
    const out = await client.send(
      new PutParameterCommand({ Name: p.name, Value: p.value, Type: p.type ?? 'SecureString', Overwrite: p.overwrite ?? false }),
    );
    return out.Version!;
  } finally {
    client.destroy();
  }
}

export async function labelParameter(name: string, version: number, labels: string[]): Promise<void> {
  const client = localSsmClient();
  try {
    await client.send(new LabelParameterVersionCommand({ Name: name, ParameterVersion: version, Labels: labels }));
  } finally {
    client.destroy();
  }
}
