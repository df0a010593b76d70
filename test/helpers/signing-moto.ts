import { startLocalSecretsManager } from '../../scripts/lib/local-secrets-manager.mjs';

/**
 * A moto_server of its own that checks signatures: it serves the first requests unchecked (they
 * create an IAM user with an access key, a role the user can assume, a policy allowing the reads,
 * the secrets and parameters) and from then on verifies every request's SigV4 signature with botocore and the
 * caller's IAM policies. A wrong signature gets HTTP 403.
 */
export interface SigningMoto {
  readonly endpoint: string;
  /** An IAM user's long-term key (AKIA…), as environment keys carry it. */
  readonly user: { accessKeyId: string; secretAccessKey: string };
  /** Temporary credentials of an assumed role (ASIA… and a session token), as the container endpoint serves them. */
  readonly role: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  /** Secret name -> ARN. */
  readonly arns: Readonly<Record<string, string>>;
  stop(): void;
}

const ACCOUNT = '123456789012';
const READ_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue', 'ssm:GetParameters'],
      Resource: '*',
    },
  ],
});
const TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
});

/** moto needs an Authorization header to know the region and service even of an unchecked request; its signature is not looked at. */
const unchecked = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIDSETUP/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;

async function query(endpoint: string, service: 'iam' | 'sts', params: Record<string, string>): Promise<string> {
  const version = service === 'iam' ? '2010-05-08' : '2011-06-15';
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: unchecked(service) },
    body: new URLSearchParams({ ...params, Version: version }).toString(),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${service} ${params.Action} failed: ${response.status} ${text}`);
  return text;
}

const tag = (xml: string, name: string) => {
  const match = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  if (!match) throw new Error(`no <${name}> in ${xml.slice(0, 200)}`);
  return match[1]!;
};

const SETUP_ACTIONS = 7;

/** Unchecked JSON 1.1 calls of the setup. */
async function putJson(
  endpoint: string,
  service: 'secretsmanager' | 'ssm',
  target: string,
  body: object,
): Promise<Record<string, unknown>> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, authorization: unchecked(service) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${target} failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** `parameters` become SSM SecureStrings. */
export async function startSigningMoto(
  secrets: Readonly<Record<string, string>>,
  parameters: Readonly<Record<string, string>> = {},
): Promise<SigningMoto> {
  const moto = await startLocalSecretsManager({
    initialNoAuthActionCount: SETUP_ACTIONS + Object.keys(secrets).length + Object.keys(parameters).length,
  });
  try {
    const { endpoint } = moto;
    await query(endpoint, 'iam', { Action: 'CreateUser', UserName: 'pipecd-bootstrap' });
    const key = await query(endpoint, 'iam', { Action: 'CreateAccessKey', UserName: 'pipecd-bootstrap' });
    const policy = tag(
      await query(endpoint, 'iam', { Action: 'CreatePolicy', PolicyName: 'read-secrets', PolicyDocument: READ_POLICY }),
      'Arn',
    );
    await query(endpoint, 'iam', { Action: 'AttachUserPolicy', UserName: 'pipecd-bootstrap', PolicyArn: policy });
    const role = tag(
      await query(endpoint, 'iam', { Action: 'CreateRole', RoleName: 'pipecd-task', AssumeRolePolicyDocument: TRUST_POLICY }),
      'Arn',
    );
    await query(endpoint, 'iam', { Action: 'AttachRolePolicy', RoleName: 'pipecd-task', PolicyArn: policy });
    const assumed = await query(endpoint, 'sts', { Action: 'AssumeRole', RoleArn: role, RoleSessionName: 'task' });
    const arns: Record<string, string> = {};
    for (const [name, value] of Object.entries(secrets)) {
      arns[name] = String(
        (await putJson(endpoint, 'secretsmanager', 'secretsmanager.CreateSecret', { Name: name, SecretString: value })).ARN,
      );
    }
    for (const [name, value] of Object.entries(parameters))
      await putJson(endpoint, 'ssm', 'AmazonSSM.PutParameter', { Name: name, Value: value, Type: 'SecureString' });
    return {
      endpoint,
      user: { accessKeyId: tag(key, 'AccessKeyId'), secretAccessKey: tag(key, 'SecretAccessKey') },
      role: {
        accessKeyId: tag(assumed, 'AccessKeyId'),
        secretAccessKey: tag(assumed, 'SecretAccessKey'),
        sessionToken: tag(assumed, 'SessionToken'),
      },
      arns,
      stop: moto.stop,
    };
  } catch (error) {
    moto.stop();
    throw error;
  }
}
