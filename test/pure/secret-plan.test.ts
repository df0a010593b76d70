import { describe, expect, it } from 'vitest';
import { BootstrapError } from '../../src/errors.js';
import { planCalls, type PlannedCall } from '../../src/secrets/plan.js';
import { ref } from '../helpers/refs.js';

const arn = (region: string, name: string) => `arn:aws:secretsmanager:${region}:123456789012:secret:${name}-AbCdEf`;
/** A plan as (kind, region, texts), which is what the table states. */
const shape = (calls: PlannedCall[]) => calls.map((c) => [c.kind, c.region, 'refs' in c ? c.refs.map((r) => r.text) : [c.ref.text]]);

const CASES: { name: string; refs: string[]; plan: [PlannedCall['kind'], string, string[]][] }[] = [
  {
    name: 'a lone secret takes GetSecretValue, not the batch',
    refs: [arn('us-east-1', 'a')],
    plan: [['secret', 'us-east-1', [arn('us-east-1', 'a')]]],
  },
  {
    name: 'JSON keys of one secret are one fetch',
    refs: [`${arn('us-east-1', 'a')}:k1`, `${arn('us-east-1', 'a')}:k2`],
    plan: [['secret', 'us-east-1', [`${arn('us-east-1', 'a')}:k1`]]],
  },
  {
    name: 'current versions of one region share a batch; a bare name joins the default region',
    refs: [arn('us-east-1', 'a'), 'b', arn('eu-west-1', 'c')],
    plan: [
      ['secrets-batch', 'us-east-1', [arn('us-east-1', 'a'), 'b']],
      ['secret', 'eu-west-1', [arn('eu-west-1', 'c')]],
    ],
  },
  {
    name: 'pinned versions never go in the batch, which reads only AWSCURRENT',
    refs: [arn('us-east-1', 'a'), arn('us-east-1', 'b'), `${arn('us-east-1', 'a')}::AWSPREVIOUS`, `${arn('us-east-1', 'b')}:::v1`],
    plan: [
      ['secrets-batch', 'us-east-1', [arn('us-east-1', 'a'), arn('us-east-1', 'b')]],
      ['secret', 'us-east-1', [`${arn('us-east-1', 'a')}::AWSPREVIOUS`]],
      ['secret', 'us-east-1', [`${arn('us-east-1', 'b')}:::v1`]],
    ],
  },
  {
    name: 'parameters of one region share GetParameters; another region gets its own',
    refs: ['ssm:/p/a', 'arn:aws:ssm:us-east-1:123456789012:parameter/p/b:2', 'arn:aws:ssm:eu-west-1:123456789012:parameter/p/c'],
    plan: [
      ['parameters', 'us-east-1', ['ssm:/p/a', 'arn:aws:ssm:us-east-1:123456789012:parameter/p/b:2']],
      ['parameters', 'eu-west-1', ['arn:aws:ssm:eu-west-1:123456789012:parameter/p/c']],
    ],
  },
  {
    name: 'two selectors of one parameter go in separate calls, so that each answer maps to one reference',
    refs: ['ssm:/p/a', 'ssm:/p/a:1', 'ssm:/p/b'],
    plan: [
      ['parameters', 'us-east-1', ['ssm:/p/a', 'ssm:/p/b']],
      ['parameters', 'us-east-1', ['ssm:/p/a:1']],
    ],
  },
  {
    name: 'secrets and parameters side by side, each service its own calls',
    refs: ['ssm:/p/a', arn('us-east-1', 'a'), arn('us-east-1', 'b')],
    plan: [
      ['secrets-batch', 'us-east-1', [arn('us-east-1', 'a'), arn('us-east-1', 'b')]],
      ['parameters', 'us-east-1', ['ssm:/p/a']],
    ],
  },
];

describe('the fetch plan (pure, in-process table)', () => {
  it.each(CASES)('$name', ({ refs, plan }) => {
    expect(shape(planCalls(refs.map(ref), 'us-east-1'))).toEqual(plan);
  });

  it('chunks 45 secrets into batches of 20, 20 and 5, and 25 parameters into 10, 10 and 5', () => {
    const secrets = Array.from({ length: 45 }, (_, i) => ref(arn('us-east-1', `s${i}`)));
    const parameters = Array.from({ length: 25 }, (_, i) => ref(`ssm:/p/${i}`));
    const sizes = planCalls([...secrets, ...parameters], 'us-east-1').map((c) => [c.kind, 'refs' in c ? c.refs.length : 1]);
    expect(sizes).toEqual([
      ['secrets-batch', 20],
      ['secrets-batch', 20],
      ['secrets-batch', 5],
      ['parameters', 10],
      ['parameters', 10],
      ['parameters', 5],
    ]);
  });

  it.each([
    ['pipecd/cp', 'secret pipecd/cp: no AWS region for a secret given by name'],
    ['ssm:/p/a', 'parameter ssm:/p/a: no AWS region for a parameter given by name'],
  ])('%s without a default region is a usage error naming the reference', (text, message) => {
    const error = (() => {
      try {
        planCalls([ref(text)], undefined);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(BootstrapError);
    expect(error).toMatchObject({ exitCode: 64, message, hint: 'set AWS_REGION, or use the full ARN' });
  });
});
