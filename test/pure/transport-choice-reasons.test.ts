import { describe, expect, it } from 'vitest';
import { chooseTransport } from '../../src/secrets/choose-transport.js';

/**
 * When a start goes to the SDK rather than the fast transport, the choice carries the reason, which
 * the start logs: it names the setting (and the variable) that made the difference, so that an
 * operator who expected the fast path can see what to remove.
 */
const KEYS = { HOME: '/home/none', AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret' };
const noFiles = () => false;

describe('the reason for the SDK names what only the SDK understands', () => {
  it.each([
    ['a profile', { ...KEYS, AWS_PROFILE: 'dev' }, ['us-east-1'], 'a profile (AWS_PROFILE)'],
    ['a default profile', { ...KEYS, AWS_DEFAULT_PROFILE: 'dev' }, ['us-east-1'], 'a profile (AWS_DEFAULT_PROFILE)'],
    ['a web identity token', { ...KEYS, AWS_WEB_IDENTITY_TOKEN_FILE: '/t' }, ['us-east-1'], 'web identity (AWS_WEB_IDENTITY_TOKEN_FILE)'],
    ['FIPS endpoints', { ...KEYS, AWS_USE_FIPS_ENDPOINT: 'true' }, ['us-east-1'], 'FIPS endpoints (AWS_USE_FIPS_ENDPOINT)'],
    [
      'dual-stack endpoints',
      { ...KEYS, AWS_USE_DUALSTACK_ENDPOINT: 'true' },
      ['us-east-1'],
      'dual-stack endpoints (AWS_USE_DUALSTACK_ENDPOINT)',
    ],
    ['no region at all', KEYS, ['us-east-1', ''], 'no region'],
    ['a region outside aws, aws-cn and aws-us-gov', KEYS, ['us-east-1', 'us-iso-east-1'], 'region us-iso-east-1'],
    ['no credentials in the environment (IMDS, or none)', { HOME: '/h' }, ['us-east-1'], 'credentials from the SDK chain'],
  ])('%s', (_, env, regions, reason) => {
    expect(chooseTransport(env, regions, noFiles)).toEqual({ kind: 'sdk', reason });
  });

  it('the shared credentials file in HOME sends the start to the SDK, named by its path', () => {
    expect(chooseTransport(KEYS, ['us-east-1'], (p) => p === '/home/none/.aws/credentials')).toEqual({
      kind: 'sdk',
      reason: 'shared config file /home/none/.aws/credentials',
    });
  });
});

describe('an empty FIPS or dual-stack variable is unset, as in the SDK', () => {
  it.each(['AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT'])('%s= keeps the fast transport', (name) => {
    expect(chooseTransport({ ...KEYS, [name]: '' }, ['us-east-1'], noFiles)).toEqual({ kind: 'fast', source: { kind: 'environment' } });
  });
});
