import type { SecretRef, SecretsManagerRef, SsmParameterRef } from '../domain.js';

const PARTITION = '(aws|aws-cn|aws-us-gov)';
const REGION = '([a-z]{2}(?:-[a-z]+)+-\\d+)';
const SM_ARN = new RegExp(`^arn:${PARTITION}:secretsmanager:${REGION}:(\\d{12}):secret:([A-Za-z0-9/_+=.@-]{1,512})$`);
const SM_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const FIELD = /^[^\s]*$/;
/** ECS's form: the name's leading slash is not repeated after `parameter`, so `parameter/a/b` is `/a/b`. */
const SSM_ARN = new RegExp(`^arn:${PARTITION}:ssm:${REGION}:(\\d{12}):parameter/([A-Za-z0-9_.\\-/]{1,2011})$`);
const SSM_NAME = /^(?:\/[A-Za-z0-9_.-]+)+$|^[A-Za-z0-9_.-]+$/;
/** GetParameters' selector is a version number, or else a label. */
const SSM_VERSION = /^\d{1,100}$/;
/** Letters, digits, `.`, `-`, `_`; SSM attaches a label only if it begins with neither a digit nor `aws` or `ssm` in any case. */
const SSM_LABEL = /^(?!\d|aws|ssm)[a-z0-9._-]{1,100}$/i;
/** Whether a parsed reference's selector is a version (the only other kind is a label). */
export const isSsmVersion = (selector: string): boolean => SSM_VERSION.test(selector);
/** The explicit form of a parameter in the default region; a bare name stays a Secrets Manager secret, as it always was. */
export const SSM_PREFIX = 'ssm:';

export type ParsedRef = { ok: true; ref: SecretRef } | { ok: false; reason: string; hint: string };

export const SECRETS_MANAGER_GRAMMAR = 'ARN-or-name[:json-key[:version-stage[:version-id]]]';
export const SSM_GRAMMAR = 'arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME[:VERSION-or-LABEL] or ssm:NAME[:VERSION-or-LABEL]';
const ssmFailure = (reason: string): ParsedRef => ({ ok: false, reason, hint: `use ${SSM_GRAMMAR}` });
const smFailure = (reason: string): ParsedRef => ({ ok: false, reason, hint: `use ${SECRETS_MANAGER_GRAMMAR}` });

function parseSsm(text: string, partition: string | undefined, region: string | undefined, nameAndSelector: string): ParsedRef {
  const [parameter = '', selector, ...extra] = nameAndSelector.split(':');
  if (extra.length > 0) return ssmFailure('has more than NAME:VERSION-or-LABEL after the parameter');
  if (!SSM_NAME.test(parameter)) {
    return ssmFailure('names no valid SSM parameter (letters, digits, _.- and / between hierarchy levels)');
  }
  if (selector !== undefined && !isSsmVersion(selector) && !SSM_LABEL.test(selector))
    return ssmFailure('has a parameter selector that is neither a version nor a label');
  const ref: SsmParameterRef = { service: 'ssm', text, name: nameAndSelector, parameter, region, partition };
  return { ok: true, ref };
}

/**
 * Parses one reference. Secrets Manager in the ECS `valueFrom` grammar,
 * `ARN-or-name[:json-key[:version-stage[:version-id]]]`, empty fields allowed: an ARN has seven
 * colon-separated fields of its own, a name none (Secrets Manager names cannot hold a colon).
 * SSM Parameter Store as `arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME` (as ECS writes it) or
 * `ssm:NAME`, either with GetParameters' own `:VERSION` or `:LABEL` selector.
 */
export function parseSecretRef(text: string): ParsedRef {
  if (text.startsWith(SSM_PREFIX)) return parseSsm(text, undefined, undefined, text.slice(SSM_PREFIX.length));
  const parts = text.split(':');
  if (text.startsWith('arn:') && parts[2] === 'ssm') {
    const idFields = parts.slice(0, 6).join(':');
    const match = SSM_ARN.exec(idFields);
    if (!match) return ssmFailure('is not an SSM parameter ARN (arn:aws|aws-cn|aws-us-gov:ssm:REGION:ACCOUNT:parameter/NAME)');
    const path = match[4]!;
    const name = path.includes('/') ? `/${path}` : path;
    return parseSsm(text, match[1], match[2], [name, ...parts.slice(6)].join(':'));
  }
  return parseSecretsManager(text, parts);
}

function parseSecretsManager(text: string, parts: string[]): ParsedRef {
  const isArn = text.startsWith('arn:');
  const idFields = isArn ? 7 : 1;
  if (parts.length < idFields) return smFailure('is not a Secrets Manager ARN (arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME)');
  const secretId = parts.slice(0, idFields).join(':');
  const rest = parts.slice(idFields);
  if (rest.length > 3) return smFailure('has more than ARN-or-name:json-key:version-stage:version-id');

  let region: string | undefined;
  if (isArn) {
    const match = SM_ARN.exec(secretId);
    if (!match) {
      return smFailure('is not a Secrets Manager ARN (arn:aws|aws-cn|aws-us-gov:secretsmanager:REGION:ACCOUNT:secret:NAME)');
    }
    region = match[2];
  } else if (!SM_NAME.test(secretId)) {
    return smFailure('is neither a Secrets Manager ARN nor a secret name (letters, digits and /_+=.@-)');
  }
  if (!rest.every((field) => FIELD.test(field))) return smFailure('has white space in a field');
  const [jsonKey, versionStage, versionId] = rest.map((field) => (field === '' ? undefined : field));
  if (versionStage !== undefined && versionId !== undefined) {
    return smFailure('names both a version stage and a version id; give one');
  }
  const ref: SecretsManagerRef = { service: 'secretsmanager', text, secretId, region, jsonKey, versionStage, versionId };
  return { ok: true, ref };
}
