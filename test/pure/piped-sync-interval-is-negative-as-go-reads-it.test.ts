/**
 * piped refuses a negative syncInterval, and reads it as PipeCD's Duration does: a number is
 * truncated toward zero and a string's fractions under a nanosecond are dropped, so `-0.5` and
 * `-0.5ns` are 0 and piped starts. Every value here, fixed or drawn, is judged by the oracle
 * (PipeCD's own decoding) as well: a refusal where piped starts is an outage.
 */
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { isBootstrapError } from '../../src/errors.js';
import { goDurationIsNegative } from '../../src/render/schema-kit.js';
import { validatePiped } from '../../src/render/piped.js';
import { parseYaml } from '../../src/render/yaml-document.js';
import { judge } from '../helpers/oracle.js';
import { sampleSize } from '../helpers/sample-size.js';
import { PIPED } from './support/render.js';

const config = (value: string) => `${PIPED}  syncInterval: ${value}\n`;

/** Our verdict on the config: the refusal's message, or undefined when it loads. */
function ours(value: string): string | undefined {
  try {
    validatePiped(parseYaml(config(value), 'PIPED_CONFIG'));
    return undefined;
  } catch (e) {
    if (!isBootstrapError(e)) throw e;
    return e.message;
  }
}

function agreeWithPipecd(values: readonly string[]) {
  const verdicts = judge(inject('oracle'), 'piped', values.map(config));
  return values.map((value, i) => ({ value, pipecd: verdicts[i]!.ok, ours: ours(value) === undefined }));
}

const NEGATIVE = 'PIPED_CONFIG: spec.syncInterval (line 8, column 17): must not be negative';

describe('syncInterval: negative as Go reads it', () => {
  const zeroToPiped = [
    '-0.5',
    '-0.9999',
    '-0',
    '-0.0',
    '-0.5ns',
    '-0.9ns',
    '-0.0000000001s',
    '-.5ns',
    '-0.5ns0.4ns',
    '-0.000000000999999999999999s',
  ];
  const negative = [
    '-1',
    '-1.5',
    '-1e3',
    '-1ns',
    '-1.5ns',
    '-0.5us',
    '-0.001us',
    '-0.000000001s',
    '-0.0000000001s1ns',
    '-1h',
    '-0s1ns',
    '"-5m"',
  ];

  it.each(zeroToPiped)('%s is zero to piped: accepted', (value) => {
    expect(ours(value)).toBeUndefined();
    expect(agreeWithPipecd([value])).toStrictEqual([{ value, pipecd: true, ours: true }]);
  });

  it.each(negative)('%s is below zero: refused as piped refuses it', (value) => {
    expect(ours(value)).toBe(NEGATIVE);
    expect(agreeWithPipecd([value])).toStrictEqual([{ value, pipecd: false, ours: false }]);
  });

  it('numbers and values that are not durations are left to their own checks', () => {
    expect([0, 0.5, -0.5, -0.99, -1, -1e30, undefined].map(goDurationIsNegative)).toStrictEqual([
      false,
      false,
      false,
      false,
      true,
      true,
      false,
    ]);
    expect(['5m', '+5m', '-', '-x', '-5', '-5x', ''].map(goDurationIsNegative)).toStrictEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('drawn durations: the same verdict as PipeCD for every one', () => {
    const component = fc.tuple(
      fc.constantFrom('', '0', '00', '', '0', '1', '12', '99'),
      fc.option(fc.stringMatching(/^[0-9]{0,22}$/), { nil: undefined }),
      fc.constantFrom('ns', 'ns', 'ns', 'us', 'µs', 'ms', 's', 'm', 'h'),
    );
    const duration = fc
      .tuple(fc.constantFrom('-', '+', ''), fc.array(component, { minLength: 1, maxLength: 2 }))
      .filter(([, parts]) => parts.every(([whole, fraction]) => whole !== '' || (fraction ?? '') !== ''))
      .map(([sign, parts]) => sign + parts.map(([w, f, u]) => `${w}${f === undefined ? '' : `.${f}`}${u}`).join(''));
    const values = fc.sample(duration, { numRuns: sampleSize(1000), seed: 20261125 });
    const verdicts = agreeWithPipecd(values);
    expect(verdicts.filter((v) => v.pipecd !== v.ours).slice(0, 8)).toStrictEqual([]);
    // Both outcomes occur, among the negative ones too, or the draw tests nothing.
    const negativeSign = verdicts.filter((v) => v.value.startsWith('-'));
    expect(negativeSign.filter((v) => v.pipecd).length).toBeGreaterThan(negativeSign.length / 20);
    expect(negativeSign.filter((v) => !v.pipecd).length).toBeGreaterThan(negativeSign.length / 20);
  });
});
