import { createRequire, syncBuiltinESMExports } from 'node:module';
import { vi } from 'vitest';

/**
 * What run() shows the world in-process: every write to fd 2 (pino's synchronous destination and
 * the humanized lines both end in fs.writeSync(2, …)) and to process.stdout. fs.writeSync is
 * wrapped for fd 2 only, in this worker's own copy of node:fs (syncBuiltinESMExports() makes the
 * named import of src/log.ts see the wrapper); every other fd is written as before.
 */
export interface Captured {
  readonly stderr: string[];
  stdout: string;
  restore(): void;
  /** The JSON log lines written so far. */
  lines(): Record<string, unknown>[];
}

type WriteSync = (fd: number, data: string | NodeJS.ArrayBufferView, ...rest: unknown[]) => number;

export function capture(): Captured {
  const fs = createRequire(import.meta.url)('node:fs') as { writeSync: WriteSync };
  const original = fs.writeSync;
  const captured: Captured = {
    stderr: [],
    stdout: '',
    restore: () => {
      fs.writeSync = original;
      syncBuiltinESMExports();
      spy.mockRestore();
    },
    lines: () =>
      captured.stderr
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
  fs.writeSync = (fd, data, ...rest) => {
    if (fd !== 2) return original(fd, data, ...rest);
    const text = typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
    captured.stderr.push(text);
    return typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
  };
  syncBuiltinESMExports();
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    captured.stdout += String(chunk);
    return true;
  });
  return captured;
}
