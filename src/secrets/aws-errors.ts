import type { SecretRef } from '../domain.js';
import { dataError, noPermission, notFound, unavailable, type BootstrapError } from '../errors.js';
import { isSsmVersion, SECRETS_MANAGER_GRAMMAR, SSM_GRAMMAR, SSM_PREFIX } from './reference.js';
import { AwsCallError } from './transport.js';

/** What a message needs besides the failure: where bare names were looked up, and whether the deadline passed. */
export interface ErrorContext {
  readonly defaultRegion: string | undefined;
  readonly deadlineMs: number;
  readonly aborted: boolean;
}

/** Node's codes for a certificate it does not trust: a TLS-intercepting proxy, or the wrong endpoint. */
const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);
const PERMISSION = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
]);
/** The SDK's throttling error codes (@smithy/core retry, THROTTLING_ERROR_CODES), so that both transports back off alike. */
const THROTTLING = new Set([
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
]);
const NOT_FOUND: Record<SecretRef['service'], Set<string>> = {
  secretsmanager: new Set(['ResourceNotFoundException', 'InvalidRequestException']),
  ssm: new Set(['ParameterNotFound', 'ParameterVersionNotFound', 'InvalidParameters']),
};
const REFUSED = new Set(['InvalidParameterException', 'ValidationException']);

/** What each service is called in messages, the variable that points at its endpoint, and how to write its references. */
const SERVICE = {
  secretsmanager: {
    title: 'Secrets Manager',
    endpointVariable: 'AWS_ENDPOINT_URL_SECRETS_MANAGER',
    grammar: SECRETS_MANAGER_GRAMMAR,
    quota:
      'BatchGetSecretValue allows 100 requests per second per region and account (not raisable), GetSecretValue 10,000, shared by everything in the account',
  },
  ssm: {
    title: 'SSM Parameter Store',
    endpointVariable: 'AWS_ENDPOINT_URL_SSM',
    grammar: SSM_GRAMMAR,
    quota:
      'GetParameter and GetParameters share 40 transactions per second per region and account at standard throughput (raise it by enabling higher throughput)',
  },
} as const;

const SPREAD_STARTS =
  'spread the starts: a lower deployment maximumPercent and a higher minimumHealthyPercent on the ECS service start fewer tasks at once';

/**
 * The failure as an AwsCallError, also one made by another copy of the class: the startup snapshot
 * loads the SDK transport as a separate bundle with its own copy of transport.ts.
 */
export function asAwsCallError(error: unknown): AwsCallError | undefined {
  if (error instanceof AwsCallError) return error;
  if (error instanceof Error && error.name === 'AwsCallError' && typeof (error as AwsCallError).type === 'string') {
    const e = error as AwsCallError;
    return new AwsCallError(e.type, e.status, e.code, e.message);
  }
  return undefined;
}

export function isThrottling(error: AwsCallError): boolean {
  return THROTTLING.has(error.type) || error.status === 429;
}

export function isDenied(error: AwsCallError): boolean {
  return PERMISSION.has(error.type);
}

const describe = (ref: SecretRef) => `${ref.service === 'ssm' ? 'parameter' : 'secret'} ${ref.text}`;

function permissionHint(ref: SecretRef): string {
  const who = 'the task role (ECS) or instance role (App Runner) needs';
  if (ref.service === 'ssm') {
    const resource = `arn:${ref.partition ?? 'aws'}:ssm:${ref.region ?? '<region>'}:<account>:parameter${ref.parameter.startsWith('/') ? '' : '/'}${ref.parameter}`;
    return `${who} ssm:GetParameters on ${resource}, and kms:Decrypt on the KMS key of a SecureString that uses a customer managed key`;
  }
  return `${who} secretsmanager:GetSecretValue on ${ref.secretId}, and kms:Decrypt on its KMS key if it uses a customer managed key`;
}

function notFoundError(error: AwsCallError, ref: SecretRef, context: ErrorContext): BootstrapError {
  const region = ref.region ?? context.defaultRegion ?? '<no region>';
  if (ref.service === 'ssm') {
    const selector = ref.name.slice(ref.parameter.length + 1);
    const version = selector === '' ? '' : isSsmVersion(selector) ? ` with version ${selector}` : ` with label ${selector}`;
    const hint = ref.text.startsWith(SSM_PREFIX)
      ? `looked up SSM parameter ${ref.parameter} in ${region}; check the name (hierarchical names begin with /) and AWS_REGION; for a Secrets Manager secret of that name, drop the ssm: prefix`
      : `looked up SSM parameter ${ref.parameter} in ${region}; check the ARN's name, region and account`;
    return notFound(`${describe(ref)}: not found${version} (${error.type})`, hint);
  }
  const version = ref.versionStage ? ` with stage ${ref.versionStage}` : ref.versionId ? ` with version ${ref.versionId}` : '';
  const hint = ref.region
    ? 'check the ARN or name, its region, and that the secret is not scheduled for deletion'
    : `looked up as a Secrets Manager secret named ${ref.secretId} in ${region} (a bare name is always a secret); for an SSM parameter write ${SSM_PREFIX}${ref.secretId} or arn:aws:ssm:${region}:ACCOUNT:parameter/${ref.secretId.replace(/^\//, '')}`;
  return notFound(`${describe(ref)}: not found${version} (${error.type})`, hint);
}

/**
 * The one classifier of failed calls, for both transports: an exit code, a message that names the
 * reference (never a value) and a hint that says what to do.
 */
export function classify(failure: unknown, ref: SecretRef, context: ErrorContext): BootstrapError {
  const service = SERVICE[ref.service];
  const what = describe(ref);
  if (context.aborted) {
    return unavailable(
      `${what}: no answer from ${service.title} within the ${context.deadlineMs / 1000} s deadline`,
      `check the network path to ${service.title} (NAT, VPC endpoint) or raise PIPECD_BOOTSTRAP_TIMEOUT`,
    );
  }
  const error = asAwsCallError(failure) ?? new AwsCallError(failure instanceof Error ? failure.name : 'Error', undefined, undefined, '');
  const name = error.type;
  if (name === 'DecryptionFailure' || name === 'InvalidKeyId' || (/kms/i.test(error.message) && !NOT_FOUND[ref.service].has(name))) {
    return noPermission(
      `${what}: ${service.title} could not decrypt it with KMS (${name})`,
      `the task role needs kms:Decrypt on the key that encrypts this ${ref.service === 'ssm' ? 'parameter' : 'secret'}`,
    );
  }
  if (PERMISSION.has(name)) return noPermission(`${what}: access denied (${name})`, permissionHint(ref));
  // A 403 whose body names no error (an XML or HTML answer, from a proxy or an emulator) is still a refusal.
  if (error.status === 403) return noPermission(`${what}: access denied (HTTP 403)`, permissionHint(ref));
  if (name === 'CredentialsProviderError') {
    return noPermission(`${what}: no AWS credentials found`, 'give the ECS task a task role, or the App Runner service an instance role');
  }
  if (NOT_FOUND[ref.service].has(name)) return notFoundError(error, ref, context);
  if (REFUSED.has(name)) {
    return dataError(`${what}: ${service.title} refused the reference (${name})`, `check the reference: ${service.grammar}`);
  }
  if (error.code !== undefined && UNTRUSTED_CERTIFICATE.has(error.code)) {
    return unavailable(
      `${what}: the ${service.title} endpoint's TLS certificate is not trusted (${error.code})`,
      `behind a TLS-inspecting proxy, set NODE_EXTRA_CA_CERTS to its CA bundle; otherwise check ${service.endpointVariable}`,
    );
  }
  const detail = [name, error.code, error.status && `HTTP ${error.status}`].filter(Boolean).join(', ');
  const hint = isThrottling(error)
    ? `the account's quota is used up: ${service.quota}; ${SPREAD_STARTS}`
    : `retry later; check the network path to ${service.title} and its service quotas`;
  return unavailable(`${what}: ${service.title} unavailable after retries (${detail})`, hint);
}
