import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeStrictBase64, decodeUtf8, decodeValue } from '../../src/render/decode.js';

describe('the encoding rule (pure, property-based)', () => {
  it('base64 round-trips any bytes, wrapped at 76 columns or not, with surrounding white space', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 600 }),
        fc.boolean(),
        fc.constantFrom('', '\n', '\r\n', '  \n'),
        (bytes, wrap, pad) => {
          let text = Buffer.from(bytes).toString('base64');
          if (wrap) text = text.replace(/(.{76})/g, '$1\n');
          expect(decodeStrictBase64(Buffer.from(pad + text + pad))).toEqual(Buffer.from(bytes));
        },
      ),
    );
  });

  it('raw returns the bytes untouched, whatever they are', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const result = decodeValue(Buffer.from(bytes), 'raw');
        expect(result.ok && result.bytes.equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  it('auto never decodes text that holds a ":" (every YAML mapping does)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const text = `${a}:${b}`;
        const result = decodeValue(Buffer.from(text), 'auto');
        expect(result.ok && !result.decodedBase64 && result.bytes.toString() === text).toBe(true);
      }),
    );
  });

  it('auto and base64 agree on valid base64', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (bytes) => {
        const text = Buffer.from(Buffer.from(bytes).toString('base64'));
        const auto = decodeValue(text, 'auto');
        const explicit = decodeValue(text, 'base64');
        expect(auto).toEqual(explicit);
      }),
    );
  });

  it('non-canonical base64 is refused: bad characters, bad padding, stray padding bits', () => {
    for (const bad of ['abc', 'ab=c', 'a$bc', 'YQ==YQ==', 'YR==', 'Zm9v=', '====']) {
      expect(decodeStrictBase64(Buffer.from(bad)), bad).toBeUndefined();
      expect(decodeValue(Buffer.from(bad), 'base64').ok, bad).toBe(false);
    }
  });

  it('strict UTF-8: valid text round-trips, a lone continuation byte is refused', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(decodeUtf8(Buffer.from(text, 'utf8'))).toBe(text);
      }),
    );
    expect(decodeUtf8(Buffer.from([0x61, 0x80]))).toBeUndefined();
  });
});
