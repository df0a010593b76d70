import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { SecretRef } from '../../src/domain.js';
import { credentialSource } from '../../src/secrets/aws-credentials.js';
import { FastTransport } from '../../src/secrets/fast-transport.js';
import { fetchSecrets, type FetchOutcome } from '../../src/secrets/fetch-secrets.js';
import { fetchKey } from '../../src/secrets/plan.js';
import { createSdkTransport } from '../../src/secrets/sdk-transport.js';
import { scripted, type Reply, type SeenRequest } from '../helpers/scripted-http.js';
import { ref } from '../helpers/refs.js';

/**
 * fetchSecrets through the fast transport against a scripted endpoint answering as Secrets Manager
 * and SSM answer: which batch entry answers which id (name, full ARN, partial ARN), the batch's own
 * failures, the errors it lists per secret, SSM's missing parameters, and the deadline listener.
 */
const ACCOUNT = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:';
const json = (status: number, body: unknown): Reply => ({
  status,
  headers: { 'content-type': 'application/x-amz-json-1.1' },
  body: JSON.stringify(body),
});
const target = (r: SeenRequest) => String(r.headers['x-amz-target']).split('.')[1];

async function fetchFrom(answer: (r: SeenRequest) => Reply, refs: SecretRef[], signal = AbortSignal.timeout(20_000)) {
  const server = await scripted((r) => answer(r));
  const env = {
    AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret-access-key',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: server.url,
    AWS_ENDPOINT_URL_SSM: server.url,
  };
  const transport = new FastTransport(credentialSource(env)!, env);
  try {
    const outcome: FetchOutcome | { error: unknown } = await fetchSecrets(refs, {
      transport,
      defaultRegion: 'us-east-1',
      signal,
      deadlineMs: 20_000,
    }).catch((error: unknown) => ({ error }));
    return { outcome, requests: server.requests.map((r) => [target(r), r.body]) };
  } finally {
    transport.close();
    await server.close();
  }
}
const valuesOf = (outcome: FetchOutcome | { error: unknown }, refs: SecretRef[]) => {
  if ('error' in outcome) throw outcome.error;
  return refs.map((r) => outcome.payloads.get(fetchKey(r))?.secretString);
};
const bootstrapError = (outcome: FetchOutcome | { error: unknown }) => {
  expect(outcome).toHaveProperty('error');
  const e = (outcome as { error: { name: string; exitCode: number; message: string; hint?: string } }).error;
  return { name: e.name, exitCode: e.exitCode, message: e.message, hint: e.hint };
};

describe('which batch entry answers which id', () => {
  it('by name: one batch call, no single calls', async () => {
    const refs = [ref('alpha'), ref('beta')];
    const r = await fetchFrom(
      () =>
        json(200, {
          SecretValues: [
            { ARN: `${ACCOUNT}beta-Zz9Yy8`, Name: 'beta', SecretString: 'b' },
            { ARN: `${ACCOUNT}alpha-Aa1Bb2`, Name: 'alpha', SecretString: 'a' },
          ],
          Errors: [],
        }),
      refs,
    );
    expect(valuesOf(r.outcome, refs)).toEqual(['a', 'b']);
    expect(r.requests).toEqual([['BatchGetSecretValue', '{"SecretIdList":["alpha","beta"]}']]);
  });

  it('by partial ARN: only the entry whose ARN is the id, a dash and six characters', async () => {
    // ab and cd have names of one length; foo-bar and foo-abcdefgh only start like foo's ARN.
    const refs = [ref(`${ACCOUNT}ab`), ref(`${ACCOUNT}cd`), ref(`${ACCOUNT}foo`)];
    const r = await fetchFrom(
      (q) =>
        target(q) === 'GetSecretValue'
          ? json(200, { ARN: `${ACCOUNT}foo-Qq7Rr6`, Name: 'foo', SecretString: 'the real foo' })
          : json(200, {
              SecretValues: [
                { ARN: `${ACCOUNT}cd-Cc3Dd4`, Name: 'cd', SecretString: 'c' },
                { ARN: `${ACCOUNT}ab-Aa1Bb2`, Name: 'ab', SecretString: 'a' },
                { ARN: `${ACCOUNT}foo-bar-Ee5Ff6`, Name: 'foo-bar', SecretString: 'not foo' },
                { ARN: `${ACCOUNT}foo-abcdefgh-Gg7Hh8`, Name: 'foo-abcdefgh', SecretString: 'not foo either' },
              ],
              Errors: [],
            }),
      refs,
    );
    expect(valuesOf(r.outcome, refs)).toEqual(['a', 'c', 'the real foo']);
    expect(r.requests.map((q) => q[0])).toEqual(['BatchGetSecretValue', 'GetSecretValue']);
  });
});

describe('failures of a batch', () => {
  it('a batch refused as invalid is reported, not retried as single calls', async () => {
    const refs = [ref('alpha'), ref('beta')];
    const r = await fetchFrom(() => json(400, { __type: 'ValidationException', message: 'bad list' }), refs);
    expect(bootstrapError(r.outcome)).toEqual({
      name: 'BootstrapError',
      exitCode: 65,
      message: 'secret alpha: Secrets Manager refused the reference (ValidationException)',
      hint: 'check the reference: ARN-or-name[:json-key[:version-stage[:version-id]]]',
    });
    expect(r.requests.map((q) => q[0])).toEqual(['BatchGetSecretValue']);
  });

  it("an error the batch lists for one secret is reported with AWS's message (a KMS denial)", async () => {
    const refs = [ref('alpha'), ref('beta')];
    const r = await fetchFrom(
      () =>
        json(200, {
          SecretValues: [{ ARN: `${ACCOUNT}beta-Zz9Yy8`, Name: 'beta', SecretString: 'b' }],
          Errors: [{ SecretId: 'alpha', ErrorCode: 'AccessDeniedException', Message: 'Access to KMS is not allowed' }],
        }),
      refs,
    );
    expect(bootstrapError(r.outcome)).toEqual({
      name: 'BootstrapError',
      exitCode: 77,
      message: 'secret alpha: Secrets Manager could not decrypt it with KMS (AccessDeniedException)',
      hint: 'the task role needs kms:Decrypt on the key that encrypts this secret',
    });
  });
});

describe('SSM', () => {
  it('a parameter the answer leaves out: not found', async () => {
    const refs = [ref('ssm:/app/missing')];
    const r = await fetchFrom(() => json(200, { Parameters: [] }), refs);
    expect(bootstrapError(r.outcome)).toEqual({
      name: 'BootstrapError',
      exitCode: 78,
      message: 'parameter ssm:/app/missing: not found (ParameterNotFound)',
      hint: 'looked up SSM parameter /app/missing in us-east-1; check the name (hierarchical names begin with /) and AWS_REGION; for a Secrets Manager secret of that name, drop the ssm: prefix',
    });
  });
});

describe('the deadline', () => {
  it('its listener is removed once the calls are done', async () => {
    const controller = new AbortController();
    const refs = [ref('alpha')];
    const r = await fetchFrom(
      () => json(200, { ARN: `${ACCOUNT}alpha-Aa1Bb2`, Name: 'alpha', SecretString: 'a' }),
      refs,
      controller.signal,
    );
    expect(valuesOf(r.outcome, refs)).toEqual(['a']);
    const until = Date.now() + 2000;
    while (getEventListeners(controller.signal, 'abort').length > 0 && Date.now() < until) await new Promise((s) => setTimeout(s, 10));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('a deadline already passed holds even while the SDK waits on the container credentials endpoint, which ignores it', async () => {
    const creds = await scripted(['stall']);
    const saved = { ...process.env };
    for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
    Object.assign(process.env, {
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `${creds.url}/creds`,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:9',
    });
    const transport = createSdkTransport({ deadlineMs: 20_000 });
    try {
      const outcome = await Promise.race([
        fetchSecrets([ref('alpha')], { transport, defaultRegion: 'us-east-1', signal: AbortSignal.abort(), deadlineMs: 1234 }).catch(
          (error: unknown) => ({ error }),
        ),
        new Promise((resolve) => setTimeout(() => resolve('still waiting'), 2500)),
      ]);
      expect(bootstrapError(outcome as { error: unknown })).toEqual({
        name: 'BootstrapError',
        exitCode: 69,
        message: 'secret alpha: no answer from Secrets Manager within the 1.234 s deadline',
        hint: 'check the network path to Secrets Manager (NAT, VPC endpoint) or raise PIPECD_BOOTSTRAP_TIMEOUT',
      });
    } finally {
      transport.close();
      for (const name of Object.keys(process.env)) delete process.env[name];
      Object.assign(process.env, saved);
      await creds.close();
    }
  });
});
