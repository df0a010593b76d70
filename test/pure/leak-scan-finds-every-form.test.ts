import { describe, expect, it } from 'vitest';
import { expectNoLeak, findLeaks, leakForms } from '../helpers/leak-scan.js';

/** The scanning helper is the proof behind every hygiene test: it must find each form, and nothing else. */
const SECRET = 'pw-"quoted"\\and\nnewline-0123456789abcdef';
const b64 = (s: string) => Buffer.from(s).toString('base64');

const LEAKED = [
  ['the whole value', `password=${SECRET}`],
  ['its base64', `data ${b64(SECRET)} end`],
  ['its JSON-escaped text', JSON.stringify({ msg: SECRET })],
  ['an 8-byte slice at the start', `prefix ${SECRET.slice(0, 8)}…`],
  ['an 8-byte slice in the middle', `x${SECRET.slice(17, 25)}x`],
  ['an 8-byte slice at the end', `${SECRET.slice(-8)}`],
  ['the base64 of a slice at an odd offset', b64(SECRET.slice(13, 31))],
  ['the base64 of a slice at offset 1', b64(SECRET.slice(1, 20))],
  ['a JSON-escaped slice', JSON.stringify(SECRET.slice(3, 14))],
] as const;

describe('the leak scanner', () => {
  it.each(LEAKED)('finds %s', (_name, text) => {
    expect(findLeaks([{ where: 'stderr', text }], [SECRET]).length).toBeGreaterThan(0);
    expect(() => expectNoLeak([{ where: 'stderr', text }], [SECRET])).toThrow(/leaked forms/);
  });

  it('does not flag a 7-byte slice or unrelated text', () => {
    const text = `${SECRET.slice(0, 7)} ${SECRET.slice(20, 27)} level=info msg="read inputs"`;
    expect(findLeaks([{ where: 'stderr', text }], [SECRET])).toEqual([]);
    expect(() => expectNoLeak([{ where: 'stderr', text }], [SECRET])).not.toThrow();
  });

  it('names the secret by index and the form, never by value', () => {
    const leaks = findLeaks(
      [
        { where: 'stdout', text: 'nothing' },
        { where: 'environ', text: `X=${b64('another-secret-value')}` },
      ],
      [SECRET, 'another-secret-value'],
    );
    expect(leaks[0]).toEqual({ secret: 1, what: 'its base64', where: 'environ' });
    expect(() => expectNoLeak([{ where: 'environ', text: 'another-secret-value' }], ['another-secret-value'])).toThrow(
      /^\d+ leaked forms, e\.g\.\nsecret #0: the whole value in environ/,
    );
    expect(() => expectNoLeak([{ where: 'environ', text: 'another-secret-value' }], ['another-secret-value'])).not.toThrow(
      /another-secret/,
    );
  });

  it('scans bytes that are not UTF-8 by their base64', () => {
    const bytes = Buffer.from([0xff, 0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89]);
    expect(leakForms(bytes).map((f) => f.what)).toContain('its base64');
    expect(findLeaks([{ where: 'stderr', text: bytes.toString('base64') }], [bytes])).not.toEqual([]);
  });
});
