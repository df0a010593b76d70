import { describe, expect, it } from 'vitest';
import { pathOrValue, referenceOrValue } from '../../src/inputs/reference-or-value.js';

const ok = { ok: true };
const no = (why: string) => ({ ok: false, why });
const RANDOM = no('looks like a random value (a long run of letters and digits)');
const NOT_A_NAME = no('is not a name (letters, digits and /_+=.@-)');
const NOT_AN_ARN = no('starts with arn: but is not an ARN');
const BAD_SELECTOR = no('has a selector that no reference has');

/**
 * The rule's edges, each with an input chosen on it: the lengths, the 35 % and 25 % thresholds of
 * changesLikeRandom (over chars.length - 1 places), the kinds of character, and the anchors of the
 * name, ARN, selector and base64-field patterns. Every verdict is asserted whole, reason included.
 */
describe('a reference or a value: the boundaries of the rule', () => {
  it.each([
    // 16 letters and digits alternating: every place changes kind, and between a letter and a digit.
    ['a 16-character random run after a separator', 'pipecd-a1b2c3d4e5f6g7h8', RANDOM],
    ['the same run one character shorter', 'pipecd-a1b2c3d4e5f6g7h', ok],
    // 5 letter/digit changes over 15 places (33 %): under 35 % of changes, over 25 % between a letter and a digit.
    ['letter/digit changes at 33 % (and all changes under 35 %)', 'aaa111aaa111aaa1', RANDOM],
    // 4 over 16 places: exactly 25 %.
    ['letter/digit changes at exactly 25 %', 'aaaa1111aaaa1111a', RANDOM],
    ['letter/digit changes at 3 of 16 places (under 25 %)', 'aaaaa1111aaaa1111', ok],
    // 7 case changes over 20 places: exactly 35 %, no digit.
    ['case changes at exactly 35 %', 'aaaAAaaAAaaAAaaAAAAAA', RANDOM],
    ['case changes at 6 of 20 places (30 %)', 'aaaAAaaAAaaAAaaaaaaaa', ok],
    // A word and a number: two kinds, one change.
    ['a word then a year and a date', 'controlplane20241124', ok],
    ['letters then digits, half and half', 'abcdefgh12345678', ok],
    // z and a, A and B are each of one kind: no change at all.
    ['z and a alternating (all lower case)', 'zazazazazazazaza', ok],
    ['A and B alternating (all upper case)', 'ABABABABABABABAB', ok],
  ])('%s: %s', (_name, text, verdict) => {
    expect(referenceOrValue(text)).toEqual(verdict);
  });

  it('a : field of base64 is looked at whole, its / set aside, even when no run of it reaches 16', () => {
    // Two runs of 10 split by '/': the runs alone pass, the field (20 characters without the '/') does not.
    expect(referenceOrValue('pipecd:a1b2c3d4e5/f6g7h8i9j0')).toEqual(RANDOM);
    expect(referenceOrValue('a1b2c3d4e5/f6g7h8i9j0')).toEqual(RANDOM);
    expect(referenceOrValue('a1b2c3d4e5/f6g7h8i9j0==')).toEqual(RANDOM);
    // 19 base64 characters: not a field of 20.
    expect(referenceOrValue('pipecd:a1b2c3d4e5/f6g7h8i9')).toEqual(ok);
  });

  it('a field counts as base64 only when all of it is: another character before or after sets it aside', () => {
    expect(referenceOrValue('x-a1b2c3d4e5/f6g7h8i9j0')).toEqual(ok);
    expect(referenceOrValue('a1b2c3d4e5/f6g7h8i9j0-x')).toEqual(ok);
    expect(referenceOrValue('a1b2c3d4e5/f6g7h8i9j0=x')).toEqual(ok);
  });

  it('a name is letters, digits and /_+=.@- from its first character to its last', () => {
    expect(referenceOrValue('!pipecd')).toEqual(NOT_A_NAME);
    expect(referenceOrValue('pipecd!')).toEqual(NOT_A_NAME);
    expect(referenceOrValue('pi!pecd')).toEqual(NOT_A_NAME);
    expect(referenceOrValue('p!pecd:stage')).toEqual(NOT_A_NAME);
    expect(referenceOrValue('pipecd/cp:stage!')).toEqual(ok);
  });

  it('a selector may hold any printable character but {}"\'` anywhere in it', () => {
    expect(referenceOrValue('pipecd/cp:{x')).toEqual(BAD_SELECTOR);
    expect(referenceOrValue('pipecd/cp:x}')).toEqual(BAD_SELECTOR);
    expect(referenceOrValue('pipecd/cp:key:x"y')).toEqual(BAD_SELECTOR);
    expect(referenceOrValue('pipecd/cp:a`b')).toEqual(BAD_SELECTOR);
  });

  it('a text that starts with arn: is an ARN from its start, with no {}"\'` anywhere', () => {
    expect(referenceOrValue('arn:AWS:ssm:x')).toEqual(NOT_AN_ARN);
    expect(referenceOrValue('arn:AWS:x:arn:aws:ssm:x')).toEqual(NOT_AN_ARN);
    expect(referenceOrValue('arn:aws:ssm:us-east-1:1:parameter/x{')).toEqual(NOT_AN_ARN);
    expect(referenceOrValue("arn:aws:ssm:us-east-1:1:parameter/x'")).toEqual(NOT_AN_ARN);
    expect(referenceOrValue('arn:aws:ssm:us-east-1:1:parameter/x')).toEqual(ok);
    // arn: elsewhere than at the start is a name with selectors.
    expect(referenceOrValue('x:arn:')).toEqual(ok);
  });

  it('at most 2048 characters', () => {
    expect(referenceOrValue('a'.repeat(2048))).toEqual(ok);
    expect(referenceOrValue('a'.repeat(2049))).toEqual(no('is longer than 2048 characters'));
  });

  it('no white space', () => {
    expect(referenceOrValue('pipecd cp')).toEqual(no('has white space, a line break or a character that no name has'));
  });

  it('a path: at most 4096 characters, no control character, nothing random', () => {
    expect(pathOrValue(`/${'a'.repeat(4095)}`)).toEqual(ok);
    expect(pathOrValue(`/${'a'.repeat(4096)}`)).toEqual(no('is longer than 4096 characters'));
    expect(pathOrValue('/etc/a\tb')).toEqual(no('has a line break, a tab or another control character'));
    expect(pathOrValue('/etc/a\x7fb')).toEqual(no('has a line break, a tab or another control character'));
    expect(pathOrValue('/mnt/a1b2c3d4e5f6g7h8')).toEqual(RANDOM);
    expect(pathOrValue('/mnt/my volume/a1b2c3d4e5f6g7h')).toEqual(ok);
  });
});
