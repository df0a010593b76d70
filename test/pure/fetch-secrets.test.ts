import { describe, expect, it } from 'vitest';
import { fetchSecrets } from '../../src/secrets/fetch-secrets.js';
import { fetchKey } from '../../src/secrets/plan.js';
import { AwsCallError, type AwsRequest, type AwsTransport } from '../../src/secrets/transport.js';
import { ref } from '../helpers/refs.js';

/**
 * The orchestration from a table, in-process: the transport is the seam the design puts there for
 * this (secrets-init's model), answering each request from the table as AWS's JSON would. The same
 * paths run against moto_server through the bundle in batch-mixed, fleet-scale and ssm-references.
 */
const A = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:a-AbCdEf';
const B = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:b-AbCdEf';
const entry = (arn: string, value: string) => ({ ARN: arn, Name: arn.split(':').at(-1)!.slice(0, -7), SecretString: value });
type Answer = (request: AwsRequest) => Record<string, unknown>;
const throttled = () => new AwsCallError('ThrottlingException', 400, undefined, 'Rate exceeded');
const denied = () => new AwsCallError('AccessDeniedException', 400, undefined, 'not authorized');

function transport(answer: Answer) {
  const sent: string[] = [];
  const t: AwsTransport = {
    kind: 'sdk',
    async send(request) {
      sent.push(`${request.operation} ${JSON.stringify(request.input)} retryThrottling=${request.retryThrottling}`);
      return answer(request);
    },
    close() {},
  };
  return { t, sent };
}

const single: Answer = (r) => {
  const id = String(r.input.SecretId);
  return { ...entry(id, `value of ${id.split(':').at(-1)}`) };
};

const CASES: { name: string; refs: string[]; answer: Answer; sent: string[]; values: string[]; flags: [boolean, boolean] }[] = [
  {
    name: 'the batch answers: one call, no retry of throttling allowed on it',
    refs: [A, B],
    answer: () => ({ SecretValues: [entry(A, 'va'), entry(B, 'vb')], Errors: [] }),
    sent: [`BatchGetSecretValue {"SecretIdList":["${A}","${B}"]} retryThrottling=false`],
    values: ['va', 'vb'],
    flags: [false, false],
  },
  {
    name: 'the batch is throttled: at once one GetSecretValue per secret',
    refs: [A, B],
    answer: (r) => {
      if (r.operation === 'BatchGetSecretValue') throw throttled();
      return single(r);
    },
    sent: [
      `BatchGetSecretValue {"SecretIdList":["${A}","${B}"]} retryThrottling=false`,
      `GetSecretValue {"SecretId":"${A}"} retryThrottling=true`,
      `GetSecretValue {"SecretId":"${B}"} retryThrottling=true`,
    ],
    values: ['value of a-AbCdEf', 'value of b-AbCdEf'],
    flags: [false, true],
  },
  {
    name: 'the batch is denied: the same, logged as denied',
    refs: [A, B],
    answer: (r) => {
      if (r.operation === 'BatchGetSecretValue') throw denied();
      return single(r);
    },
    sent: [
      `BatchGetSecretValue {"SecretIdList":["${A}","${B}"]} retryThrottling=false`,
      `GetSecretValue {"SecretId":"${A}"} retryThrottling=true`,
      `GetSecretValue {"SecretId":"${B}"} retryThrottling=true`,
    ],
    values: ['value of a-AbCdEf', 'value of b-AbCdEf'],
    flags: [true, false],
  },
  {
    name: 'a secret the batch left out comes by GetSecretValue; a partial ARN matches its entry',
    refs: [A.slice(0, -7), B],
    answer: (r) => (r.operation === 'BatchGetSecretValue' ? { SecretValues: [entry(A, 'va')] } : single(r)),
    sent: [
      `BatchGetSecretValue {"SecretIdList":["${A.slice(0, -7)}","${B}"]} retryThrottling=false`,
      `GetSecretValue {"SecretId":"${B}"} retryThrottling=true`,
    ],
    values: ['va', 'value of b-AbCdEf'],
    flags: [false, false],
  },
  {
    name: 'SecretBinary comes as base64 on the wire and is decoded',
    refs: [A],
    answer: () => ({ ARN: A, SecretBinary: Buffer.from([0, 255, 10]).toString('base64') }),
    sent: [`GetSecretValue {"SecretId":"${A}"} retryThrottling=true`],
    values: ['\u0000\ufffd\n'],
    flags: [false, false],
  },
  {
    name: 'parameters: one GetParameters, decrypted, answers matched by name',
    refs: ['ssm:/p/a', 'ssm:/p/b:2'],
    answer: () => ({
      Parameters: [
        { Name: '/p/b', Value: 'vb2' },
        { Name: '/p/a', Value: 'va' },
      ],
      InvalidParameters: [],
    }),
    sent: ['GetParameters {"Names":["/p/a","/p/b:2"],"WithDecryption":true} retryThrottling=true'],
    values: ['va', 'vb2'],
    flags: [false, false],
  },
];

const FAILURES: { name: string; refs: string[]; answer: Answer; error: { exitCode: number; message: string } }[] = [
  {
    name: 'an error entry in the batch answer is that secret\u2019s failure',
    refs: [A, B],
    answer: () => ({ SecretValues: [entry(A, 'va')], Errors: [{ SecretId: B, ErrorCode: 'ResourceNotFoundException', Message: 'gone' }] }),
    error: { exitCode: 78, message: `secret ${B}: not found (ResourceNotFoundException)` },
  },
  {
    name: 'a parameter in InvalidParameters is not found (78)',
    refs: ['ssm:/p/a', 'ssm:/p/b'],
    answer: () => ({ Parameters: [{ Name: '/p/a', Value: 'va' }], InvalidParameters: ['/p/b'] }),
    error: { exitCode: 78, message: 'parameter ssm:/p/b: not found (InvalidParameters)' },
  },
  {
    name: 'a throttled GetSecretValue after the fallback is 69',
    refs: [A, B],
    answer: () => {
      throw throttled();
    },
    error: { exitCode: 69, message: `secret ${A}: Secrets Manager unavailable after retries (ThrottlingException, HTTP 400)` },
  },
];

describe('fetchSecrets from a table (in-process)', () => {
  it.each(CASES)('$name', async ({ refs, answer, sent, values, flags }) => {
    const { t, sent: actual } = transport(answer);
    const parsed = refs.map(ref);
    const outcome = await fetchSecrets(parsed, {
      transport: t,
      defaultRegion: 'us-east-1',
      signal: new AbortController().signal,
      deadlineMs: 30_000,
    });
    expect(actual.sort()).toEqual([...sent].sort());
    expect(
      parsed.map((r) => {
        const p = outcome.payloads.get(fetchKey(r))!;
        return p.secretString ?? p.secretBinary!.toString('utf8');
      }),
    ).toEqual(values);
    expect([outcome.batchDenied, outcome.batchThrottled]).toEqual(flags);
  });

  it.each(FAILURES)('$name', async ({ refs, answer, error }) => {
    const { t } = transport(answer);
    await expect(
      fetchSecrets(refs.map(ref), { transport: t, defaultRegion: 'us-east-1', signal: new AbortController().signal, deadlineMs: 30_000 }),
    ).rejects.toMatchObject(error);
  });

  it('a failure that is not an AWS call (a bug, a missing chunk) is passed on as it is, not blamed on AWS', async () => {
    const t: AwsTransport = { kind: 'sdk', send: () => Promise.reject(new TypeError('x is not a function')), close() {} };
    await expect(
      fetchSecrets([ref(A)], { transport: t, defaultRegion: 'us-east-1', signal: new AbortController().signal, deadlineMs: 30_000 }),
    ).rejects.toThrow(TypeError);
  });

  it('the deadline holds even when the transport never answers nor listens to the signal', async () => {
    const t: AwsTransport = { kind: 'sdk', send: () => new Promise(() => {}), close() {} };
    const began = Date.now();
    await expect(
      fetchSecrets([ref('ssm:/p/a')], { transport: t, defaultRegion: 'us-east-1', signal: AbortSignal.timeout(50), deadlineMs: 50 }),
    ).rejects.toMatchObject({
      exitCode: 69,
      message: 'parameter ssm:/p/a: no answer from SSM Parameter Store within the 0.05 s deadline',
    });
    expect(Date.now() - began).toBeLessThan(5_000);
  });
});
