import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED_FIELDS } from '../src/log.js';
import { fixture, MODES, start } from './helpers/bundle.js';

const FULL_STDERR = fileURLToPath(new URL('./helpers/full-stderr.py', import.meta.url));

/**
 * The rule: one line per step on stderr, synchronously (the last line before execve
 * is never lost), shaped as {level (a word), time (ISO 8601), logger, fields..., msg}, or PipeCD's
 * humanize lines; fields that could ever hold a value are redacted as a second line of defence.
 */
const envoy = fixture('envoy-ecs-demo.yaml');
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe.each(MODES)('$mode: log lines', ({ node }) => {
  it('every line is JSON: level, time, logger first, msg last; the line before the program starts is there', async () => {
    const r = await start({ node, args: ['gateway'], env: { ENVOY_CONFIG: envoy } });
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    for (const line of lines) {
      const keys = Object.keys(JSON.parse(line));
      expect(keys.slice(0, 3)).toEqual(['level', 'time', 'logger']);
      expect(keys.at(-1)).toBe('msg');
      expect(JSON.parse(line).time).toMatch(ISO);
    }
    expect(r.logs.map((l) => `${l.level} ${l.msg}`)).toEqual([
      'info read inputs',
      'info resolved inputs',
      'info rendered and validated',
      'info wrote files',
      'info starting program',
    ]);
  });

  it('a full non-blocking stderr pipe delays the lines; none is lost or cut, and the program starts', async () => {
    const r = await start({ node, wrap: ['python3', FULL_STDERR], args: ['gateway'], env: { ENVOY_CONFIG: envoy } });
    expect(r.code).toBe(0);
    expect(r.record).toBeDefined();
    expect(r.logs.map((l) => l.msg)).toEqual([
      'read inputs',
      'resolved inputs',
      'rendered and validated',
      'wrote files',
      'starting program',
    ]);
  });

  it('--log-encoding=humanize writes time, LEVEL, message and the fields, tab-separated', async () => {
    const r = await start({ node, args: ['gateway', '--log-encoding=humanize'], env: { ENVOY_CONFIG: envoy } });
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(5);
    for (const line of lines) {
      const [time, level, msg, fields] = line.split('\t');
      expect(time).toMatch(ISO);
      expect(level).toBe('INFO');
      expect(msg).not.toBe('');
      expect(Object.keys(JSON.parse(fields!))).not.toContain('logger');
    }
  });
});

describe('redaction, a second line of defence (in-process: a logger is a value in memory)', () => {
  it('a field that could hold a value is written as [redacted]', () => {
    const lines: string[] = [];
    const log = createLogger('json', { write: (line: string) => void lines.push(line) });
    log.info(
      { value: 's3cr3t-1', files: [{ path: '/x', contents: 's3cr3t-2' }], inner: { SecretString: 's3cr3t-3' }, password: 's3cr3t-4' },
      'm',
    );
    expect(lines.join('')).not.toMatch(/s3cr3t/);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      value: '[redacted]',
      files: [{ path: '/x', contents: '[redacted]' }],
      password: '[redacted]',
    });
    expect(REDACTED_FIELDS.length).toBeGreaterThan(0);
  });
});
