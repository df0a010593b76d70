import { describe, expect, it } from 'vitest';
import { decodeStrictBase64, decodeUtf8, decodeValue } from '../../src/render/decode.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const text = 'apiVersion: pipecd.dev/v1beta1\nkind: Piped\n';

/** [what, input, decoded text or undefined]. */
const STRICT = [
  ['plain base64', b64(text), text],
  ['wrapped at 76 as `base64` prints it', b64(text.repeat(3)).replace(/(.{76})/g, '$1\n'), text.repeat(3)],
  ['wrapped with CRLF', b64(text.repeat(3)).replace(/(.{76})/g, '$1\r\n'), text.repeat(3)],
  ['with a trailing newline', `${b64(text)}\n`, text],
  ['surrounded by spaces, tabs and CR/LF', ` \t\r\n${b64(text)}\r\n\t `, text],
  ['one padding character', b64('ab'), 'ab'],
  ['two padding characters', b64('a'), 'a'],
  ['with + and /', '+/+/', '\xfb\xff\xbf'],
  ['empty', '', undefined],
  ['only whitespace', ' \n\t', undefined],
  ['a YAML config', text, undefined],
  ['not a multiple of four', 'YWJj\nZA', undefined],
  ['padding in the middle', 'YQ==YWJj', undefined],
  ['three padding characters', 'Y===', undefined],
  ['non-zero padding bits', 'YR==', undefined],
  ['base64url characters', 'a-b_', undefined],
  ['a space inside', 'YWJj ZGVm', undefined],
  ['a blank line inside, as base64 -d takes it', 'YWJj\n\nZGVm', 'abcdef'],
  ['a bare CR between lines', 'YWJj\rZGVm', undefined],
  ['a non-ASCII byte', 'YWJj\u00e9', undefined],
] as const;

describe('decodeStrictBase64', () => {
  it.each(STRICT)('%s', (_what, input, expected) => {
    const decoded = decodeStrictBase64(Buffer.from(input, 'latin1'));
    expect(decoded?.toString('latin1')).toBe(expected);
  });

  it('only ASCII whitespace is trimmed: a no-break space makes it not base64', () => {
    expect(decodeStrictBase64(Buffer.from(`\u00a0${b64(text)}`, 'latin1'))).toBeUndefined();
    expect(decodeStrictBase64(Buffer.from(`${b64(text)}\f`, 'latin1'))).toBeUndefined();
  });
});

describe('decodeValue', () => {
  const key = Buffer.from('c2VjcmV0LWtleS10aGF0LWxvb2tzLWxpa2UtYmFzZTY0');
  it.each([
    ['raw keeps base64 text as it is', key, 'raw', { ok: true, bytes: key, decodedBase64: false }],
    ['raw keeps anything', Buffer.from('***'), 'raw', { ok: true, bytes: Buffer.from('***'), decodedBase64: false }],
    ['base64 decodes', key, 'base64', { ok: true, bytes: Buffer.from('secret-key-that-looks-like-base64'), decodedBase64: true }],
    ['auto decodes strict base64', key, 'auto', { ok: true, bytes: Buffer.from('secret-key-that-looks-like-base64'), decodedBase64: true }],
    ['auto keeps YAML as it is', Buffer.from(text), 'auto', { ok: true, bytes: Buffer.from(text), decodedBase64: false }],
    [
      'base64 refuses YAML',
      Buffer.from(text),
      'base64',
      { ok: false, reason: 'is not valid base64 (standard alphabet, canonical padding)' },
    ],
    [
      'base64 refuses empty',
      Buffer.alloc(0),
      'base64',
      { ok: false, reason: 'is not valid base64 (standard alphabet, canonical padding)' },
    ],
  ] as const)('%s', (_what, input, encoding, expected) => {
    expect(decodeValue(input, encoding)).toEqual(expected);
  });

  it('raw returns the very same bytes, not a copy', () => {
    const result = decodeValue(key, 'raw');
    expect(result.ok && result.bytes).toBe(key);
  });
});

describe('decodeUtf8', () => {
  it.each([
    ['ASCII', Buffer.from('a: b'), 'a: b'],
    ['multi-byte', Buffer.from('name: ñ日本'), 'name: ñ日本'],
    ['a byte-order mark is kept', Buffer.from('\ufeffa: b'), '\ufeffa: b'],
    ['an invalid byte', Buffer.from([0x61, 0xff, 0x62]), undefined],
    ['a truncated sequence', Buffer.from([0xe6, 0x97]), undefined],
    ['an overlong encoding', Buffer.from([0xc0, 0xaf]), undefined],
  ])('%s', (_what, bytes, expected) => {
    expect(decodeUtf8(bytes)).toBe(expected);
  });
});
