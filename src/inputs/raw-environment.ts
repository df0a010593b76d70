import { readFileSync } from 'node:fs';

/**
 * The environment byte for byte, as the kernel handed it to this process (Linux: /proc/self/environ).
 * Node decodes process.env as UTF-8 and puts U+FFFD in place of bytes that are not, so a key with
 * such bytes would be altered; this is where its real bytes are. Undefined where /proc is missing.
 * The first of two entries with one name wins, as for getenv(3).
 */
export function rawEnvironment(): ReadonlyMap<string, Buffer> | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync('/proc/self/environ');
  } catch {
    return undefined;
  }
  const entries = new Map<string, Buffer>();
  for (let start = 0; start < bytes.length;) {
    const nul = bytes.indexOf(0, start);
    const end = nul < 0 ? bytes.length : nul;
    const entry = bytes.subarray(start, end);
    const eq = entry.indexOf(0x3d);
    const name = eq > 0 ? entry.subarray(0, eq).toString('latin1') : '';
    if (name !== '' && !entries.has(name)) entries.set(name, Buffer.from(entry.subarray(eq + 1)));
    start = end + 1;
  }
  return entries;
}
