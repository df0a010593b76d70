import type { SecretValueEntry } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import type { SecretRef } from '../../src/domain.js';
import { BootstrapError } from '../../src/errors.js';
import { answers, explain } from '../../src/secrets/aws-secrets.js';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:pipecd-AbCdEf';
const ref = (extra: Partial<SecretRef> = {}): SecretRef => ({
  text: `${ARN}:key`,
  secretId: ARN,
  region: 'us-east-1',
  jsonKey: 'key',
  versionStage: undefined,
  versionId: undefined,
  ...extra,
});
const WHAT = `secret ${ARN}:key`;
const GET_HINT = `the task role (ECS) or instance role (App Runner) needs secretsmanager:GetSecretValue on ${ARN}, and kms:Decrypt on its KMS key if it uses a customer managed key`;
const KMS_HINT = 'the task role needs kms:Decrypt on the key that encrypts this secret';
const CREDENTIALS_HINT = 'give the ECS task a task role, or the App Runner service an instance role';
const NOT_FOUND_HINT = 'check the ARN or name, its region, and that the secret is not scheduled for deletion';
const UNAVAILABLE_HINT = 'retry later; check the network path to Secrets Manager and its service quotas';

/** [what, the SDK's error, exit code, message, hint]: each class of failure has its own words, so a wrong class cannot pass. */
const CASES = [
  [
    'KMS DecryptionFailure',
    { name: 'DecryptionFailure', message: 'x' },
    77,
    `${WHAT}: Secrets Manager could not decrypt it with KMS (DecryptionFailure)`,
    KMS_HINT,
  ],
  [
    'access denied that mentions KMS',
    { name: 'AccessDeniedException', message: 'Access to KMS is not allowed' },
    77,
    `${WHAT}: Secrets Manager could not decrypt it with KMS (AccessDeniedException)`,
    KMS_HINT,
  ],
  [
    'access denied',
    { name: 'AccessDeniedException', message: 'User is not authorized' },
    77,
    `${WHAT}: access denied (AccessDeniedException)`,
    GET_HINT,
  ],
  ['AccessDenied', { name: 'AccessDenied' }, 77, `${WHAT}: access denied (AccessDenied)`, GET_HINT],
  ['an unrecognized client', { name: 'UnrecognizedClientException' }, 77, `${WHAT}: access denied (UnrecognizedClientException)`, GET_HINT],
  ['a bad signature', { name: 'InvalidSignatureException' }, 77, `${WHAT}: access denied (InvalidSignatureException)`, GET_HINT],
  ['an expired token', { name: 'ExpiredTokenException' }, 77, `${WHAT}: access denied (ExpiredTokenException)`, GET_HINT],
  [
    'no credentials',
    { name: 'CredentialsProviderError', message: 'Could not load credentials from any providers' },
    77,
    `${WHAT}: no AWS credentials found`,
    CREDENTIALS_HINT,
  ],
  [
    'not found',
    { name: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." },
    78,
    `${WHAT}: not found (ResourceNotFoundException)`,
    NOT_FOUND_HINT,
  ],
  [
    'not found, with KMS in the message, is still not found',
    { name: 'ResourceNotFoundException', message: 'no such kms key' },
    78,
    `${WHAT}: not found (ResourceNotFoundException)`,
    NOT_FOUND_HINT,
  ],
  [
    'a secret scheduled for deletion',
    { name: 'InvalidRequestException' },
    78,
    `${WHAT}: not found (InvalidRequestException)`,
    NOT_FOUND_HINT,
  ],
  [
    'no region',
    { name: 'Error', message: 'Region is missing' },
    64,
    `${WHAT}: no AWS region for a secret given by name`,
    'set AWS_REGION, or use the full ARN',
  ],
  [
    'a refused parameter',
    { name: 'InvalidParameterException' },
    65,
    `${WHAT}: Secrets Manager refused the reference (InvalidParameterException)`,
    'check the reference: ARN-or-name[:json-key[:version-stage[:version-id]]]',
  ],
  [
    'a validation error',
    { name: 'ValidationException' },
    65,
    `${WHAT}: Secrets Manager refused the reference (ValidationException)`,
    'check the reference: ARN-or-name[:json-key[:version-stage[:version-id]]]',
  ],
  [
    'an untrusted certificate',
    { name: 'Error', code: 'SELF_SIGNED_CERT_IN_CHAIN' },
    69,
    `${WHAT}: the Secrets Manager endpoint's TLS certificate is not trusted (SELF_SIGNED_CERT_IN_CHAIN)`,
    'behind a TLS-inspecting proxy, set NODE_EXTRA_CA_CERTS to its CA bundle; otherwise check AWS_ENDPOINT_URL_SECRETS_MANAGER',
  ],
  [
    'an expired certificate',
    { name: 'Error', code: 'CERT_HAS_EXPIRED' },
    69,
    `${WHAT}: the Secrets Manager endpoint's TLS certificate is not trusted (CERT_HAS_EXPIRED)`,
    'behind a TLS-inspecting proxy, set NODE_EXTRA_CA_CERTS to its CA bundle; otherwise check AWS_ENDPOINT_URL_SECRETS_MANAGER',
  ],
  [
    'throttling',
    { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } },
    69,
    `${WHAT}: Secrets Manager unavailable after retries (ThrottlingException, HTTP 400)`,
    UNAVAILABLE_HINT,
  ],
  [
    'a refused connection',
    { name: 'Error', code: 'ECONNREFUSED' },
    69,
    `${WHAT}: Secrets Manager unavailable after retries (Error, ECONNREFUSED)`,
    UNAVAILABLE_HINT,
  ],
  [
    'an internal error',
    { name: 'InternalServiceError', $metadata: { httpStatusCode: 500 } },
    69,
    `${WHAT}: Secrets Manager unavailable after retries (InternalServiceError, HTTP 500)`,
    UNAVAILABLE_HINT,
  ],
  ['nothing known', undefined, 69, `${WHAT}: Secrets Manager unavailable after retries (Error)`, UNAVAILABLE_HINT],
] as const;

describe('explain: an AWS failure as an exit code, a message and a hint', () => {
  it.each(CASES)('%s', (_what, error, exitCode, message, hint) => {
    const explained = explain(error, ref(), 30_000, false);
    expect(explained).toBeInstanceOf(BootstrapError);
    expect({ exitCode: explained.exitCode, message: explained.message, hint: explained.hint }).toEqual({ exitCode, message, hint });
  });

  it.each([
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'CERT_HAS_EXPIRED',
    'ERR_TLS_CERT_ALTNAME_INVALID',
  ])('a certificate Node does not trust (%s) is its own class', (code) => {
    const explained = explain({ name: 'Error', code }, ref(), 30_000, false);
    expect({ exitCode: explained.exitCode, message: explained.message }).toEqual({
      exitCode: 69,
      message: `${WHAT}: the Secrets Manager endpoint's TLS certificate is not trusted (${code})`,
    });
  });

  it('the deadline wins over whatever error the abort caused', () => {
    const explained = explain({ name: 'AbortError', message: 'aborted' }, ref(), 2500, true);
    expect({ exitCode: explained.exitCode, message: explained.message, hint: explained.hint }).toEqual({
      exitCode: 69,
      message: `${WHAT}: no answer from Secrets Manager within the 2.5 s deadline`,
      hint: 'check the network path to Secrets Manager (NAT, VPC endpoint) or raise PIPECD_BOOTSTRAP_TIMEOUT',
    });
  });

  it.each([
    [{ versionStage: 'AWSPENDING' }, `${WHAT}: not found with stage AWSPENDING (ResourceNotFoundException)`],
    [{ versionId: 'v-123' }, `${WHAT}: not found with version v-123 (ResourceNotFoundException)`],
  ])('not found names the version asked for: %j', (version, message) => {
    expect(explain({ name: 'ResourceNotFoundException' }, ref(version), 30_000, false).message).toBe(message);
  });

  it("the SDK's own message is never repeated: it can quote the request", () => {
    const explained = explain({ name: 'ThrottlingException', message: 'value hunter2-hunter2' }, ref(), 30_000, false);
    expect(`${explained.message} ${explained.hint}`).not.toContain('hunter2');
  });
});

describe('answers: which batch entry answers a requested id', () => {
  const entry = (e: SecretValueEntry) => e;
  it.each([
    ['the full ARN', ARN, entry({ ARN, Name: 'pipecd' }), true],
    ['the name', 'pipecd', entry({ ARN, Name: 'pipecd' }), true],
    ['a partial ARN (no random suffix)', ARN.slice(0, -7), entry({ ARN, Name: 'pipecd' }), true],
    [
      'another secret whose ARN starts alike',
      ARN.slice(0, -7),
      entry({ ARN: ARN.replace('pipecd-AbCdEf', 'pipecd-x-AbCdEf'), Name: 'pipecd-x' }),
      false,
    ],
    ['a suffix of five characters', ARN.slice(0, -7), entry({ ARN: `${ARN.slice(0, -7)}-AbCdE`, Name: 'pipecd' }), false],
    ['a suffix of seven characters', ARN.slice(0, -7), entry({ ARN: `${ARN.slice(0, -7)}-AbCdEfG`, Name: 'pipecd' }), false],
    ['a suffix that is not alphanumeric', ARN.slice(0, -7), entry({ ARN: `${ARN.slice(0, -7)}-AbC_Ef`, Name: 'pipecd' }), false],
    ['an entry without an ARN', 'other', entry({ Name: 'pipecd' }), false],
    ['another name', 'other', entry({ ARN, Name: 'pipecd' }), false],
  ])('%s: %s', (_what, id, e, expected) => {
    expect(answers(id, e)).toBe(expected);
  });
});
