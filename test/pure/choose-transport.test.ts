import { describe, expect, it } from 'vitest';
import { endpointOf } from '../../src/secrets/aws-endpoint.js';
import { chooseTransport } from '../../src/secrets/choose-transport.js';

/** The rule that picks the AWS client of a start (README, "Which AWS client"): fast where it knows everything that applies, else the SDK. */
const KEYS = { HOME: '/home/none', AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret' };
const ECS = { HOME: '/home/none', AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/abc' };
const noFiles = () => false;

const CASES: [string, Record<string, string>, string[], 'fast' | 'sdk'][] = [
  ['environment keys', KEYS, ['us-east-1'], 'fast'],
  ['environment keys with a session token', { ...KEYS, AWS_SESSION_TOKEN: 't' }, ['eu-west-1'], 'fast'],
  ['ECS task role (relative URI)', ECS, ['eu-west-1'], 'fast'],
  [
    'App Runner / full URI at the ECS host with a token',
    { HOME: '/h', AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.2/v2/credentials', AWS_CONTAINER_AUTHORIZATION_TOKEN: 'x' },
    ['us-east-1'],
    'fast',
  ],
  [
    'EKS Pod Identity host with a token file',
    {
      HOME: '/h',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials',
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '/t',
    },
    ['us-east-1'],
    'fast',
  ],
  ['full URI on loopback', { HOME: '/h', AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:8080/creds' }, ['us-east-1'], 'fast'],
  [
    'full URI over HTTPS anywhere',
    { HOME: '/h', AWS_CONTAINER_CREDENTIALS_FULL_URI: 'https://creds.example.com/x' },
    ['us-east-1'],
    'fast',
  ],
  [
    'full URI over plain HTTP to another host (the SDK refuses it; let it say so)',
    { HOME: '/h', AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://10.0.0.1/creds' },
    ['us-east-1'],
    'sdk',
  ],
  ['aws-cn and aws-us-gov regions', KEYS, ['cn-north-1', 'us-gov-west-1', 'us-east-1'], 'fast'],
  ['an ISO partition region', KEYS, ['us-iso-east-1'], 'sdk'],
  ['no region at all', KEYS, [''], 'sdk'],
  ['a profile', { ...KEYS, AWS_PROFILE: 'dev' }, ['us-east-1'], 'sdk'],
  [
    'web identity (EKS IRSA)',
    { ...ECS, AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token', AWS_ROLE_ARN: 'arn:aws:iam::1:role/r' },
    ['us-east-1'],
    'sdk',
  ],
  ['FIPS endpoints', { ...KEYS, AWS_USE_FIPS_ENDPOINT: 'true' }, ['us-east-1'], 'sdk'],
  ['dual-stack endpoints', { ...KEYS, AWS_USE_DUALSTACK_ENDPOINT: 'true' }, ['us-east-1'], 'sdk'],
  ['FIPS explicitly off', { ...KEYS, AWS_USE_FIPS_ENDPOINT: 'false' }, ['us-east-1'], 'fast'],
  ['only an access key id', { HOME: '/h', AWS_ACCESS_KEY_ID: 'AKID' }, ['us-east-1'], 'sdk'],
  ['no credentials in the environment (IMDS, or none)', { HOME: '/h' }, ['us-east-1'], 'sdk'],
];

describe('chooseTransport', () => {
  it.each(CASES)('%s', (_, env, regions, kind) => {
    expect(chooseTransport(env, regions, noFiles).kind).toBe(kind);
  });

  it('a shared config or credentials file (profiles, SSO, settings) sends the start to the SDK', () => {
    expect(chooseTransport(KEYS, ['us-east-1'], (p) => p === '/home/none/.aws/config')).toMatchObject({
      kind: 'sdk',
      reason: 'shared config file /home/none/.aws/config',
    });
    expect(chooseTransport({ ...KEYS, AWS_SHARED_CREDENTIALS_FILE: '/etc/creds' }, ['us-east-1'], (p) => p === '/etc/creds').kind).toBe(
      'sdk',
    );
  });

  it('environment keys win over the container endpoint, and the relative URI over the full one, as in the SDK chain', () => {
    expect(chooseTransport({ ...KEYS, ...ECS }, ['us-east-1'], noFiles)).toMatchObject({ kind: 'fast', source: { kind: 'environment' } });
    const both = chooseTransport({ ...ECS, AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1/x' }, ['us-east-1'], noFiles);
    expect(both.kind === 'fast' && both.source.kind === 'container' && both.source.url.href).toBe(
      'http://169.254.170.2/v2/credentials/abc',
    );
  });
});

describe('endpointOf', () => {
  it.each([
    ['secretsmanager', 'eu-west-1', {}, 'https://secretsmanager.eu-west-1.amazonaws.com/'],
    ['secretsmanager', 'cn-northwest-1', {}, 'https://secretsmanager.cn-northwest-1.amazonaws.com.cn/'],
    ['secretsmanager', 'us-gov-east-1', {}, 'https://secretsmanager.us-gov-east-1.amazonaws.com/'],
    ['ssm', 'ap-southeast-2', {}, 'https://ssm.ap-southeast-2.amazonaws.com/'],
    ['ssm', 'cn-north-1', {}, 'https://ssm.cn-north-1.amazonaws.com.cn/'],
    [
      'secretsmanager',
      'eu-west-1',
      { AWS_ENDPOINT_URL_SECRETS_MANAGER: 'https://vpce-1.secretsmanager.eu-west-1.vpce.amazonaws.com' },
      'https://vpce-1.secretsmanager.eu-west-1.vpce.amazonaws.com/',
    ],
    ['ssm', 'eu-west-1', { AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://sm', AWS_ENDPOINT_URL: 'http://all:4566' }, 'http://all:4566/'],
    ['ssm', 'eu-west-1', { AWS_ENDPOINT_URL_SSM: 'http://ssm:1', AWS_ENDPOINT_URL: 'http://all:4566' }, 'http://ssm:1/'],
    [
      'secretsmanager',
      'eu-west-1',
      { AWS_ENDPOINT_URL: 'http://all:4566', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' },
      'https://secretsmanager.eu-west-1.amazonaws.com/',
    ],
  ] as const)('%s in %s with %j: %s', (service, region, env, url) => {
    expect(endpointOf(service, region, env).href).toBe(url);
  });
});
