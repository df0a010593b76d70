import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED_FIELDS } from '../../src/log.js';

/**
 * The logger through its destination parameter (a stream that keeps the lines): the line format,
 * and the redaction behind "messages name inputs, never values". run() and its stderr lines are in
 * run.test.ts.
 */
function logger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const log = createLogger('json', destination as never);
  const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { log, lines, parsed };
}

describe('createLogger', () => {
  it('one JSON line per call: level as a word, ISO time, logger, the fields, then msg', () => {
    const { log, lines, parsed } = logger();
    log.info('plain');
    log.warn({ a: 1 }, 'with fields');
    log.error({ b: 'x' });
    expect(lines.every((l) => l.endsWith('\n') && l.split('\n').length === 2)).toBe(true);
    expect(lines[1]).toMatch(
      /^\{"level":"warn","time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","logger":"pipecd-bootstrap","a":1,"msg":"with fields"\}\n$/,
    );
    expect(parsed().map(({ time: _t, ...rest }) => rest)).toEqual([
      { level: 'info', logger: 'pipecd-bootstrap', msg: 'plain' },
      { level: 'warn', logger: 'pipecd-bootstrap', a: 1, msg: 'with fields' },
      { level: 'error', logger: 'pipecd-bootstrap', b: 'x', msg: '' },
    ]);
  });

  it('every field that would hold a value is redacted, at the top level and one level down', () => {
    const { log, parsed } = logger();
    const top = [
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
    ];
    log.info(Object.fromEntries(top.map((name) => [name, `leak-${name}`])), 'top');
    const nested = ['value', 'contents', 'SecretString', 'SecretBinary', 'password'];
    log.info(
      { inner: Object.fromEntries(nested.map((name) => [name, `leak-${name}`])), files: [{ path: '/p', contents: 'leak-file' }] },
      'nested',
    );
    const [first, second] = parsed();
    for (const name of top) expect(first![name]).toBe('[redacted]');
    expect(second!.inner).toEqual(Object.fromEntries(nested.map((name) => [name, '[redacted]'])));
    expect(second!.files).toEqual([{ path: '/p', contents: '[redacted]' }]);
    expect(JSON.stringify(parsed())).not.toContain('leak-');
    expect(REDACTED_FIELDS).toEqual([...top, ...nested.map((n) => `*.${n}`), 'files[*].contents']);
  });
});
