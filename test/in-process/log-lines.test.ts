import { createRequire, syncBuiltinESMExports } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, REDACTED_FIELDS } from '../../src/log.js';

/**
 * The logger's default sink, stderr, in-process: fs.writeSync is wrapped for fd 2 (this worker's
 * own node:fs; syncBuiltinESMExports() makes src/log.ts's named import see it) to answer as a full
 * non-blocking pipe does (EAGAIN, short writes), so that the loop that writes a whole line before
 * returning is shown. The line format against pino is test/pure/log-lines-are-pinos.test.ts.
 */
type WriteSync = (fd: number, data: Buffer | string, ...rest: unknown[]) => number;
const fs = createRequire(import.meta.url)('node:fs') as { writeSync: WriteSync };
const original = fs.writeSync;
afterEach(() => {
  fs.writeSync = original;
  syncBuiltinESMExports();
});

/** fd 2 answers with each of `answers` in turn (a number: bytes taken; a string: an errno thrown), then takes everything. */
function stderrAnswering(answers: (number | string)[]) {
  const taken: Buffer[] = [];
  let calls = 0;
  fs.writeSync = (fd, data, ...rest) => {
    if (fd !== 2) return original(fd, data, ...rest);
    calls++;
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
    const answer = answers.shift();
    if (typeof answer === 'string') throw Object.assign(new Error(answer), { code: answer });
    const n = Math.min(answer ?? bytes.length, bytes.length);
    taken.push(bytes.subarray(0, n));
    return n;
  };
  syncBuiltinESMExports();
  return { text: () => Buffer.concat(taken).toString('utf8'), calls: () => calls };
}

describe('the stderr sink', () => {
  it('writes the whole line through short writes and a full pipe (EAGAIN, EBUSY), waiting between tries', () => {
    const stderr = stderrAnswering([3, 'EAGAIN', 0, 'EBUSY', 7]);
    const started = Date.now();
    createLogger('json').info({ n: 1 }, 'a line long enough to need several writes, é and 𝄞');
    const line = stderr.text();
    expect(line.endsWith('\n')).toBe(true);
    expect(JSON.parse(line)).toMatchObject({
      level: 'info',
      logger: 'pipecd-bootstrap',
      n: 1,
      msg: 'a line long enough to need several writes, é and 𝄞',
    });
    expect(stderr.calls()).toBe(6);
    // Two waits of 100 ms (generous: only that it waited at all).
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('any other write error is thrown, not retried', () => {
    const stderr = stderrAnswering(['EPIPE']);
    expect(() => createLogger('humanize').warn('x')).toThrow('EPIPE');
    expect(stderr.calls()).toBe(1);
  });

  it('humanized lines go to the same sink', () => {
    const stderr = stderrAnswering([]);
    createLogger('humanize').error({ exitCode: 65 }, 'bad');
    expect(stderr.text()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\tERROR\tbad\t\{"exitCode":65\}\n$/);
  });
});

describe('redaction', () => {
  it('every field that would hold a value is censored, at the top level and deeper, in both encodings', () => {
    expect(REDACTED_FIELDS).toEqual([
      'value',
      'values',
      'contents',
      'secret',
      'secretValue',
      'SecretString',
      'SecretBinary',
      'password',
      'key',
      'env',
      'environment',
    ]);
    const fields = Object.fromEntries(REDACTED_FIELDS.map((name) => [name, `leak-${name}`]));
    for (const encoding of ['json', 'humanize'] as const) {
      const lines: string[] = [];
      createLogger(encoding, { write: (line) => void lines.push(line) }).info({ ...fields, deeper: [{ ...fields }], kept: 'shown' }, 'm');
      const json = encoding === 'json' ? lines[0]! : lines[0]!.split('\t')[3]!;
      const censored = Object.fromEntries(REDACTED_FIELDS.map((name) => [name, '[redacted]']));
      expect(JSON.parse(json)).toMatchObject({ ...censored, deeper: [censored], kept: 'shown' });
      expect(lines.join('')).not.toContain('leak-');
    }
  });
});
