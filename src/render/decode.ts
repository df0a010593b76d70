import type { Encoding } from '../domain.js';

const BASE64_LINE = /^[A-Za-z0-9+/]*={0,2}$/;
const ASCII_SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

export type DecodeResult = { ok: true; bytes: Buffer; decodedBase64: boolean } | { ok: false; reason: string };

function trimAscii(bytes: Buffer): Buffer {
  let start = 0;
  let end = bytes.length;
  while (start < end && ASCII_SPACE.has(bytes[start]!)) start++;
  while (end > start && ASCII_SPACE.has(bytes[end - 1]!)) end--;
  return bytes.subarray(start, end);
}

/**
 * Strict base64: the standard alphabet, canonical padding, optionally wrapped in lines (as
 * `base64` prints it), surrounding ASCII whitespace ignored. Returns undefined when the text is
 * not base64 under that rule; Node's own decoder would silently skip bad characters.
 */
export function decodeStrictBase64(bytes: Buffer): Buffer | undefined {
  const text = trimAscii(bytes).toString('latin1');
  if (text.length === 0) return undefined;
  const lines = text.split(/\r?\n/);
  if (!lines.every((line) => BASE64_LINE.test(line))) return undefined;
  const joined = lines.join('');
  if (joined.length % 4 !== 0 || joined.slice(0, -2).includes('=')) return undefined;
  const decoded = Buffer.from(joined, 'base64');
  // Re-encoding catches non-zero padding bits and misplaced '=': only canonical text round-trips.
  return decoded.toString('base64') === joined ? decoded : undefined;
}

/**
 * The encoding rule:
 * - raw: the bytes as given.
 * - base64: strict base64 (see decodeStrictBase64), or an error.
 * - auto: strict base64 when the whole value is strict base64, otherwise raw. Only config inputs
 *   default to auto; a YAML config always holds a ':' which base64 never does, so the rule cannot
 *   misread a config. Keys default to raw because a random key can look like base64.
 */
export function decodeValue(bytes: Buffer, encoding: Encoding): DecodeResult {
  if (encoding === 'raw') return { ok: true, bytes, decodedBase64: false };
  const decoded = decodeStrictBase64(bytes);
  if (decoded) return { ok: true, bytes: decoded, decodedBase64: true };
  if (encoding === 'base64') return { ok: false, reason: 'is not valid base64 (standard alphabet, canonical padding)' };
  return { ok: true, bytes, decodedBase64: false };
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Strict UTF-8: a config with an invalid byte is refused rather than repaired. */
export function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
