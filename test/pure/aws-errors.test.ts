import { describe, expect, it } from 'vitest';
import { BootstrapError } from '../../src/errors.js';
import { classify, type ErrorContext } from '../../src/secrets/aws-errors.js';
import { AwsCallError } from '../../src/secrets/transport.js';
import { ref } from '../helpers/refs.js';

const SM_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:cp-AbCdEf';
const SSM_ARN = 'arn:aws:ssm:eu-west-1:123456789012:parameter/pipecd/cp';
const context: ErrorContext = { defaultRegion: 'us-east-1', deadlineMs: 30_000, aborted: false };
const failure = (type: string, status?: number, code?: string, message = '') => new AwsCallError(type, status, code, message);
const SM_QUOTA =
  "the account's quota is used up: BatchGetSecretValue allows 100 requests per second per region and account (not raisable), GetSecretValue 10,000, shared by everything in the account; spread the starts: a lower deployment maximumPercent and a higher minimumHealthyPercent on the ECS service start fewer tasks at once";
const SSM_QUOTA =
  "the account's quota is used up: GetParameter and GetParameters share 40 transactions per second per region and account at standard throughput (raise it by enabling higher throughput); spread the starts: a lower deployment maximumPercent and a higher minimumHealthyPercent on the ECS service start fewer tasks at once";

/** Every class of failure, for both services: the exact exit code, message and hint. */
const CASES: {
  name: string;
  ref: string;
  error: unknown;
  context?: Partial<ErrorContext>;
  exit: number;
  message: string;
  hint: string | undefined;
}[] = [
  {
    name: 'Secrets Manager access denied',
    ref: SM_ARN,
    error: failure('AccessDeniedException', 400),
    exit: 77,
    message: `secret ${SM_ARN}: access denied (AccessDeniedException)`,
    hint: `the task role (ECS) or instance role (App Runner) needs secretsmanager:GetSecretValue on ${SM_ARN}, and kms:Decrypt on its KMS key if it uses a customer managed key`,
  },
  {
    name: 'SSM access denied names ssm:GetParameters on the parameter ARN',
    ref: SSM_ARN,
    error: failure('AccessDeniedException', 400),
    exit: 77,
    message: `parameter ${SSM_ARN}: access denied (AccessDeniedException)`,
    hint: 'the task role (ECS) or instance role (App Runner) needs ssm:GetParameters on arn:aws:ssm:eu-west-1:<account>:parameter/pipecd/cp, and kms:Decrypt on the KMS key of a SecureString that uses a customer managed key',
  },
  {
    name: 'KMS refusal (DecryptionFailure) is not access denied',
    ref: SM_ARN,
    error: failure('DecryptionFailure', 400, undefined, 'Access to KMS is not allowed'),
    exit: 77,
    message: `secret ${SM_ARN}: Secrets Manager could not decrypt it with KMS (DecryptionFailure)`,
    hint: 'the task role needs kms:Decrypt on the key that encrypts this secret',
  },
  {
    name: 'SSM SecureString whose KMS key refuses',
    ref: 'ssm:/pipecd/cp',
    error: failure('AccessDeniedException', 400, undefined, 'User is not authorized to perform: kms:Decrypt'),
    exit: 77,
    message: 'parameter ssm:/pipecd/cp: SSM Parameter Store could not decrypt it with KMS (AccessDeniedException)',
    hint: 'the task role needs kms:Decrypt on the key that encrypts this parameter',
  },
  {
    name: 'no credentials',
    ref: SM_ARN,
    error: failure('CredentialsProviderError'),
    exit: 77,
    message: `secret ${SM_ARN}: no AWS credentials found`,
    hint: 'give the ECS task a task role, or the App Runner service an instance role',
  },
  {
    name: 'a secret ARN not found',
    ref: SM_ARN,
    error: failure('ResourceNotFoundException', 400),
    exit: 78,
    message: `secret ${SM_ARN}: not found (ResourceNotFoundException)`,
    hint: 'check the ARN or name, its region, and that the secret is not scheduled for deletion',
  },
  {
    name: 'a bare name not found says where it looked and how to write a parameter',
    ref: 'pipecd/cp',
    error: failure('ResourceNotFoundException', 400),
    exit: 78,
    message: 'secret pipecd/cp: not found (ResourceNotFoundException)',
    hint: 'looked up as a Secrets Manager secret named pipecd/cp in us-east-1 (a bare name is always a secret); for an SSM parameter write ssm:pipecd/cp or arn:aws:ssm:us-east-1:ACCOUNT:parameter/pipecd/cp',
  },
  {
    name: 'a pinned stage not found names the stage',
    ref: `${SM_ARN}::NOSUCH`,
    error: failure('ResourceNotFoundException', 400),
    exit: 78,
    message: `secret ${SM_ARN}::NOSUCH: not found with stage NOSUCH (ResourceNotFoundException)`,
    hint: 'check the ARN or name, its region, and that the secret is not scheduled for deletion',
  },
  {
    name: 'ssm:NAME not found says where it looked and how to write a secret',
    ref: 'ssm:/pipecd/cp:3',
    error: failure('InvalidParameters'),
    exit: 78,
    message: 'parameter ssm:/pipecd/cp:3: not found with version 3 (InvalidParameters)',
    hint: 'looked up SSM parameter /pipecd/cp in us-east-1; check the name (hierarchical names begin with /) and AWS_REGION; for a Secrets Manager secret of that name, drop the ssm: prefix',
  },
  {
    name: 'a parameter ARN with a label not found',
    ref: `${SSM_ARN}:live`,
    error: failure('InvalidParameters'),
    exit: 78,
    message: `parameter ${SSM_ARN}:live: not found with label live (InvalidParameters)`,
    hint: "looked up SSM parameter /pipecd/cp in eu-west-1; check the ARN's name, region and account",
  },
  {
    name: 'Secrets Manager throttled after retries names the quotas and how to spread starts',
    ref: SM_ARN,
    error: failure('ThrottlingException', 400),
    exit: 69,
    message: `secret ${SM_ARN}: Secrets Manager unavailable after retries (ThrottlingException, HTTP 400)`,
    hint: SM_QUOTA,
  },
  {
    name: 'HTTP 429 is throttling whatever its type',
    ref: SM_ARN,
    error: failure('TooManyRequests', 429),
    exit: 69,
    message: `secret ${SM_ARN}: Secrets Manager unavailable after retries (TooManyRequests, HTTP 429)`,
    hint: SM_QUOTA,
  },
  {
    name: 'SSM throttled after retries',
    ref: SSM_ARN,
    error: failure('ThrottlingException', 400),
    exit: 69,
    message: `parameter ${SSM_ARN}: SSM Parameter Store unavailable after retries (ThrottlingException, HTTP 400)`,
    hint: SSM_QUOTA,
  },
  {
    name: 'a 5xx after retries',
    ref: SM_ARN,
    error: failure('InternalServiceError', 500),
    exit: 69,
    message: `secret ${SM_ARN}: Secrets Manager unavailable after retries (InternalServiceError, HTTP 500)`,
    hint: 'retry later; check the network path to Secrets Manager and its service quotas',
  },
  {
    name: 'a connection reset',
    ref: 'ssm:/a',
    error: failure('Error', undefined, 'ECONNRESET'),
    exit: 69,
    message: 'parameter ssm:/a: SSM Parameter Store unavailable after retries (Error, ECONNRESET)',
    hint: 'retry later; check the network path to SSM Parameter Store and its service quotas',
  },
  {
    name: 'an untrusted certificate on the SSM endpoint',
    ref: 'ssm:/a',
    error: failure('Error', undefined, 'SELF_SIGNED_CERT_IN_CHAIN'),
    exit: 69,
    message: "parameter ssm:/a: the SSM Parameter Store endpoint's TLS certificate is not trusted (SELF_SIGNED_CERT_IN_CHAIN)",
    hint: 'behind a TLS-inspecting proxy, set NODE_EXTRA_CA_CERTS to its CA bundle; otherwise check AWS_ENDPOINT_URL_SSM',
  },
  {
    name: 'the deadline passed',
    ref: 'ssm:/a',
    error: undefined,
    context: { aborted: true, deadlineMs: 2000 },
    exit: 69,
    message: 'parameter ssm:/a: no answer from SSM Parameter Store within the 2 s deadline',
    hint: 'check the network path to SSM Parameter Store (NAT, VPC endpoint) or raise PIPECD_BOOTSTRAP_TIMEOUT',
  },
  {
    name: 'a refused reference',
    ref: SSM_ARN,
    error: failure('ValidationException', 400),
    exit: 65,
    message: `parameter ${SSM_ARN}: SSM Parameter Store refused the reference (ValidationException)`,
    hint: 'check the reference: arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME[:VERSION-or-LABEL] or ssm:NAME[:VERSION-or-LABEL]',
  },
  {
    name: 'an AwsCallError made by another copy of the class (the snapshot edge) is still recognised',
    ref: SM_ARN,
    error: Object.assign(new Error('x'), { name: 'AwsCallError', type: 'AccessDeniedException', status: 400, code: undefined }),
    exit: 77,
    message: `secret ${SM_ARN}: access denied (AccessDeniedException)`,
    hint: `the task role (ECS) or instance role (App Runner) needs secretsmanager:GetSecretValue on ${SM_ARN}, and kms:Decrypt on its KMS key if it uses a customer managed key`,
  },
];

describe('the AWS error classifier (in-process table)', () => {
  it.each(CASES)('$name', ({ ref: text, error, context: extra, exit, message, hint }) => {
    const result = classify(error, ref(text), { ...context, ...extra });
    expect(result).toBeInstanceOf(BootstrapError);
    expect({ exitCode: result.exitCode, message: result.message, hint: result.hint }).toEqual({ exitCode: exit, message, hint });
  });
});
