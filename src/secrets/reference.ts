import type { SecretRef } from '../domain.js';

const ARN = /^arn:(aws|aws-cn|aws-us-gov):secretsmanager:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):secret:([A-Za-z0-9/_+=.@-]{1,512})$/;
const NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const FIELD = /^[^\s]*$/;

export type ParsedRef = { ok: true; ref: SecretRef } | { ok: false; reason: string };

/**
 * The ECS `valueFrom` grammar: `ARN-or-name[:json-key[:version-stage[:version-id]]]`, empty fields
 * allowed. An ARN has seven colon-separated fields of its own; a name has none, since Secrets
 * Manager names cannot hold a colon.
 */
export function parseSecretRef(text: string): ParsedRef {
  const parts = text.split(':');
  const isArn = text.startsWith('arn:');
  const idFields = isArn ? 7 : 1;
  if (parts.length < idFields)
    return { ok: false, reason: 'is not a Secrets Manager ARN (arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME)' };
  const secretId = parts.slice(0, idFields).join(':');
  const rest = parts.slice(idFields);
  if (rest.length > 3) return { ok: false, reason: 'has more than ARN-or-name:json-key:version-stage:version-id' };

  let region: string | undefined;
  if (isArn) {
    const match = ARN.exec(secretId);
    if (!match) {
      return { ok: false, reason: 'is not a Secrets Manager ARN (arn:aws|aws-cn|aws-us-gov:secretsmanager:REGION:ACCOUNT:secret:NAME)' };
    }
    region = match[2];
  } else if (!NAME.test(secretId)) {
    return { ok: false, reason: 'is neither a Secrets Manager ARN nor a secret name (letters, digits and /_+=.@-)' };
  }
  if (!rest.every((field) => FIELD.test(field))) return { ok: false, reason: 'has white space in a field' };
  const [jsonKey, versionStage, versionId] = rest.map((field) => (field === '' ? undefined : field));
  if (versionStage !== undefined && versionId !== undefined) {
    return { ok: false, reason: 'names both a version stage and a version id; give one' };
  }
  return { ok: true, ref: { text, secretId, region, jsonKey, versionStage, versionId } };
}

/** Secrets that are fetched once however many references name them (JSON keys are applied after). */
export function fetchKey(ref: SecretRef): string {
  return JSON.stringify([ref.region ?? '', ref.secretId, ref.versionStage ?? '', ref.versionId ?? '']);
}
