import { describe, expect, it } from 'vitest';
import { BootstrapError } from '../../src/errors.js';
import { classify, type ErrorContext } from '../../src/secrets/aws-errors.js';
import { AwsCallError } from '../../src/secrets/transport.js';
import { ref } from '../helpers/refs.js';

/**
 * Every AWS error type the classifier names has its own exit code and hint: a certificate code is a
 * TLS problem (69, NODE_EXTRA_CA_CERTS), a permission type a refusal (77, the IAM action to grant),
 * a throttling type a used-up quota (69, how to spread the starts), a not-found type a missing
 * secret or parameter (78), a refused type a bad reference (65). A type missing from its list would
 * fall through to the generic "unavailable after retries" and send the operator the wrong way.
 */
const SM_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:cp-AbCdEf';
const context: ErrorContext = { defaultRegion: 'us-east-1', deadlineMs: 30_000, aborted: false };
const failure = (type: string, status?: number, code?: string, message = '') => new AwsCallError(type, status, code, message);
const SM_DENIED_HINT = `the task role (ECS) or instance role (App Runner) needs secretsmanager:GetSecretValue on ${SM_ARN}, and kms:Decrypt on its KMS key if it uses a customer managed key`;
const SM_QUOTA =
  "the account's quota is used up: BatchGetSecretValue allows 100 requests per second per region and account (not raisable), GetSecretValue 10,000, shared by everything in the account; spread the starts: a lower deployment maximumPercent and a higher minimumHealthyPercent on the ECS service start fewer tasks at once";

const outcome = (error: unknown, text: string, extra: Partial<ErrorContext> = {}) => {
  const result = classify(error, ref(text), { ...context, ...extra });
  expect(result).toBeInstanceOf(BootstrapError);
  return { exitCode: result.exitCode, message: result.message, hint: result.hint };
};

describe('each error type the classifier lists gets its own class of failure', () => {
  it.each([
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'CERT_HAS_EXPIRED',
    'ERR_TLS_CERT_ALTNAME_INVALID',
  ])('certificate code %s: the endpoint is not trusted, set NODE_EXTRA_CA_CERTS', (code) => {
    expect(outcome(failure('Error', undefined, code), SM_ARN)).toEqual({
      exitCode: 69,
      message: `secret ${SM_ARN}: the Secrets Manager endpoint's TLS certificate is not trusted (${code})`,
      hint: 'behind a TLS-inspecting proxy, set NODE_EXTRA_CA_CERTS to its CA bundle; otherwise check AWS_ENDPOINT_URL_SECRETS_MANAGER',
    });
  });

  it.each(['AccessDeniedException', 'AccessDenied', 'UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException'])(
    '%s: access denied, naming the IAM action to grant',
    (type) => {
      expect(outcome(failure(type, 400), SM_ARN)).toEqual({
        exitCode: 77,
        message: `secret ${SM_ARN}: access denied (${type})`,
        hint: SM_DENIED_HINT,
      });
    },
  );

  it.each([
    'BandwidthLimitExceeded',
    'EC2ThrottledException',
    'LimitExceededException',
    'PriorRequestNotComplete',
    'ProvisionedThroughputExceededException',
    'RequestLimitExceeded',
    'RequestThrottled',
    'RequestThrottledException',
    'SlowDown',
    'ThrottledException',
    'Throttling',
    'ThrottlingException',
    'TooManyRequestsException',
    'TransactionInProgressException',
  ])('%s with HTTP 400: the quota is used up, spread the starts', (type) => {
    expect(outcome(failure(type, 400), SM_ARN)).toEqual({
      exitCode: 69,
      message: `secret ${SM_ARN}: Secrets Manager unavailable after retries (${type}, HTTP 400)`,
      hint: SM_QUOTA,
    });
  });

  it.each([
    [SM_ARN, 'ResourceNotFoundException', 'secret', 'check the ARN or name, its region, and that the secret is not scheduled for deletion'],
    [SM_ARN, 'InvalidRequestException', 'secret', 'check the ARN or name, its region, and that the secret is not scheduled for deletion'],
    [
      'ssm:/pipecd/cp',
      'ParameterNotFound',
      'parameter',
      'looked up SSM parameter /pipecd/cp in us-east-1; check the name (hierarchical names begin with /) and AWS_REGION; for a Secrets Manager secret of that name, drop the ssm: prefix',
    ],
    [
      'ssm:/pipecd/cp',
      'ParameterVersionNotFound',
      'parameter',
      'looked up SSM parameter /pipecd/cp in us-east-1; check the name (hierarchical names begin with /) and AWS_REGION; for a Secrets Manager secret of that name, drop the ssm: prefix',
    ],
  ])('%s answered %s: not found', (text, type, what, hint) => {
    expect(outcome(failure(type, 400), text)).toEqual({ exitCode: 78, message: `${what} ${text}: not found (${type})`, hint });
  });

  it.each(['InvalidParameterException', 'ValidationException'])('%s: the service refused the reference itself', (type) => {
    expect(outcome(failure(type, 400), SM_ARN)).toEqual({
      exitCode: 65,
      message: `secret ${SM_ARN}: Secrets Manager refused the reference (${type})`,
      hint: 'check the reference: ARN-or-name[:json-key[:version-stage[:version-id]]]',
    });
  });
});

describe('KMS, HTTP 403 and a missing region', () => {
  it.each([
    ['DecryptionFailure', 'secret'],
    ['InvalidKeyId', 'secret'],
  ])('%s is a KMS refusal by its type alone, even when the message does not say KMS', (type, what) => {
    expect(outcome(failure(type, 400), SM_ARN)).toEqual({
      exitCode: 77,
      message: `secret ${SM_ARN}: Secrets Manager could not decrypt it with KMS (${type})`,
      hint: `the task role needs kms:Decrypt on the key that encrypts this ${what}`,
    });
  });

  it('a 403 with no error type (a proxy or an emulator answering in XML or HTML) is still access denied', () => {
    expect(outcome(failure('Error', 403), SM_ARN)).toEqual({
      exitCode: 77,
      message: `secret ${SM_ARN}: access denied (HTTP 403)`,
      hint: SM_DENIED_HINT,
    });
  });
});

describe('the resource in an SSM permission hint is the ARN to put in the policy', () => {
  const hint = (resource: string) =>
    `the task role (ECS) or instance role (App Runner) needs ssm:GetParameters on ${resource}, and kms:Decrypt on the KMS key of a SecureString that uses a customer managed key`;

  it.each([
    ['ssm:/pipecd/cp', 'arn:aws:ssm:<region>:<account>:parameter/pipecd/cp'],
    ['ssm:flat', 'arn:aws:ssm:<region>:<account>:parameter/flat'],
    ['arn:aws-cn:ssm:cn-north-1:123456789012:parameter/pipecd/cp', 'arn:aws-cn:ssm:cn-north-1:<account>:parameter/pipecd/cp'],
    ['arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/flat', 'arn:aws-us-gov:ssm:us-gov-west-1:<account>:parameter/flat'],
  ])('%s: %s', (text, resource) => {
    expect(outcome(failure('AccessDeniedException', 400), text)).toEqual({
      exitCode: 77,
      message: `parameter ${text}: access denied (AccessDeniedException)`,
      hint: hint(resource),
    });
  });
});

describe('a not-found message names the version asked for', () => {
  it.each([
    ['ssm:/p:12', 'with version 12', 'a number is a version'],
    ['ssm:/p:v2', 'with label v2', 'a label that ends in a digit is still a label'],
  ])('%s: %s (%s)', (text, version) => {
    expect(outcome(failure('ParameterNotFound', 400), text)).toEqual({
      exitCode: 78,
      message: `parameter ${text}: not found ${version} (ParameterNotFound)`,
      hint: 'looked up SSM parameter /p in us-east-1; check the name (hierarchical names begin with /) and AWS_REGION; for a Secrets Manager secret of that name, drop the ssm: prefix',
    });
  });

  it('a pinned version id not found names the id', () => {
    expect(outcome(failure('ResourceNotFoundException', 400), `${SM_ARN}:::v-123`)).toEqual({
      exitCode: 78,
      message: `secret ${SM_ARN}:::v-123: not found with version v-123 (ResourceNotFoundException)`,
      hint: 'check the ARN or name, its region, and that the secret is not scheduled for deletion',
    });
  });

  it('a bare name with a leading slash suggests an SSM ARN without doubling the slash', () => {
    expect(outcome(failure('ResourceNotFoundException', 400), '/pipecd/cp')).toEqual({
      exitCode: 78,
      message: 'secret /pipecd/cp: not found (ResourceNotFoundException)',
      hint: 'looked up as a Secrets Manager secret named /pipecd/cp in us-east-1 (a bare name is always a secret); for an SSM parameter write ssm:/pipecd/cp or arn:aws:ssm:us-east-1:ACCOUNT:parameter/pipecd/cp',
    });
  });

  it('without any region the hint says so rather than printing an empty region', () => {
    expect(outcome(failure('ParameterNotFound', 400), 'ssm:/p', { defaultRegion: undefined })).toEqual({
      exitCode: 78,
      message: 'parameter ssm:/p: not found (ParameterNotFound)',
      hint: 'looked up SSM parameter /p in <no region>; check the name (hierarchical names begin with /) and AWS_REGION; for a Secrets Manager secret of that name, drop the ssm: prefix',
    });
  });
});

describe('failures that are not AwsCallErrors', () => {
  it('an Error of another kind is named by its name, whatever fields it carries', () => {
    const stray = Object.assign(new Error('x'), { name: 'TypeError', type: 'AccessDeniedException' });
    expect(outcome(stray, SM_ARN)).toEqual({
      exitCode: 69,
      message: `secret ${SM_ARN}: Secrets Manager unavailable after retries (TypeError)`,
      hint: 'retry later; check the network path to Secrets Manager and its service quotas',
    });
  });

  it('an object that is no Error is not taken for an AwsCallError because it has a type', () => {
    expect(outcome({ name: 'AwsCallError', type: 'AccessDeniedException' }, SM_ARN)).toEqual({
      exitCode: 69,
      message: `secret ${SM_ARN}: Secrets Manager unavailable after retries (Error)`,
      hint: 'retry later; check the network path to Secrets Manager and its service quotas',
    });
  });

  it('an Error named AwsCallError but without a type is named AwsCallError', () => {
    expect(outcome(Object.assign(new Error('x'), { name: 'AwsCallError' }), SM_ARN)).toEqual({
      exitCode: 69,
      message: `secret ${SM_ARN}: Secrets Manager unavailable after retries (AwsCallError)`,
      hint: 'retry later; check the network path to Secrets Manager and its service quotas',
    });
  });

  it.each([undefined, 'a thrown string'])('a thrown non-Error (%s) is named Error', (thrown) => {
    expect(outcome(thrown, SM_ARN)).toEqual({
      exitCode: 69,
      message: `secret ${SM_ARN}: Secrets Manager unavailable after retries (Error)`,
      hint: 'retry later; check the network path to Secrets Manager and its service quotas',
    });
  });
});
