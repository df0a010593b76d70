import { describe, expect, it } from 'vitest';
import { planCalls, type PlannedCall } from '../../src/secrets/plan.js';
import { ref } from '../helpers/refs.js';

/**
 * The plan fetches each thing once, and only what is truly the same: two versions of one secret,
 * or one parameter name in two regions, are different values, and folding them into one fetch
 * would give one input the other's value. Within one GetParameters call no parameter appears twice,
 * so that each answer maps back to one reference.
 */
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cp-AbCdEf';
const parameter = (region: string, name: string) => `arn:aws:ssm:${region}:123456789012:parameter/${name}`;
const shape = (calls: PlannedCall[]) => calls.map((c) => [c.kind, c.region, 'refs' in c ? c.refs.map((r) => r.text) : [c.ref.text]]);

describe('references that are fetched apart', () => {
  it.each([
    {
      name: 'two version stages of one secret',
      refs: [`${SECRET}::AWSPREVIOUS`, `${SECRET}::AWSPENDING`],
      plan: [
        ['secret', 'us-east-1', [`${SECRET}::AWSPREVIOUS`]],
        ['secret', 'us-east-1', [`${SECRET}::AWSPENDING`]],
      ],
    },
    {
      name: 'two version ids of one secret',
      refs: [`${SECRET}:::v1`, `${SECRET}:::v2`],
      plan: [
        ['secret', 'us-east-1', [`${SECRET}:::v1`]],
        ['secret', 'us-east-1', [`${SECRET}:::v2`]],
      ],
    },
    {
      name: 'one parameter name in two regions',
      refs: [parameter('us-east-1', 'pipecd/cp'), parameter('eu-west-1', 'pipecd/cp')],
      plan: [
        ['parameters', 'us-east-1', [parameter('us-east-1', 'pipecd/cp')]],
        ['parameters', 'eu-west-1', [parameter('eu-west-1', 'pipecd/cp')]],
      ],
    },
  ])('$name', ({ refs, plan }) => {
    expect(shape(planCalls(refs.map(ref), 'us-east-1'))).toEqual(plan);
  });
});

describe('GetParameters calls never name one parameter twice', () => {
  it('a second selector of a parameter already in a call with others opens a new call', () => {
    expect(shape(planCalls(['ssm:/p/a', 'ssm:/p/b', 'ssm:/p/a:1'].map(ref), 'us-east-1'))).toEqual([
      ['parameters', 'us-east-1', ['ssm:/p/a', 'ssm:/p/b']],
      ['parameters', 'us-east-1', ['ssm:/p/a:1']],
    ]);
  });
});
