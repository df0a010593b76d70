import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/log.js';

/**
 * The bootstrapper's lines were pino's until pino's set-up was measured costing every start several
 * milliseconds (README, "Logs"); pino stays as the oracle of the line format. These are the lines the
 * starts write (fields as run.ts logs them), and the second line of defence's fields.
 */
const LINES: [fields: Record<string, unknown> | string, message?: string][] = [
  [{ role: 'server', inputs: [{ name: 'CONTROL_PLANE_CONFIG', from: 'secret', encoding: 'auto' }], ms: 0.7 }, 'read inputs'],
  [
    { secrets: 2, client: 'fast', calls: 1, byOperation: { BatchGetSecretValue: 1 }, batchDenied: false, batchThrottled: false, ms: 12.5 },
    'resolved inputs',
  ],
  [{ files: [{ path: '/tmp/pipecd-bootstrap/control-plane-config.yaml', bytes: 1024 }], ms: 3 }, 'rendered and validated'],
  [
    { program: '/usr/local/bin/pipecd', args: ['server', '--config-file=/x "quoted" \\ \u0001 é 𝄞'], mode: 'execve', totalMs: 20.1 },
    'starting program',
  ],
  [{ exitCode: 65, hint: 'set X_ENCODING=raw' }, 'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG): is empty'],
  [{ signal: 'SIGTERM' }, ''],
  ['a message alone, with "quotes" and a\nline break'],
  [{ value: 's3cr3t-1', files: [{ path: '/x', contents: 's3cr3t-2' }], inner: { SecretString: 's3cr3t-3' }, password: 's3cr3t-4' }, 'm'],
  [{ skipped: undefined, nothing: null, nested: { deep: [1, 'two', { three: true }] } }, 'shapes'],
];

function pinoLines(): string[] {
  const lines: string[] = [];
  const logger = pino(
    {
      base: { logger: 'pipecd-bootstrap' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['value', 'contents', 'password', '*.SecretString', 'files[*].contents'], censor: '[redacted]' },
    },
    { write: (line: string) => void lines.push(line) },
  );
  for (const [first, second] of LINES) {
    if (typeof first === 'string') logger.warn(first);
    else logger.warn(first, second ?? '');
  }
  return lines;
}

afterEach(() => void vi.useRealTimers());

describe('log lines', () => {
  it('are byte for byte what pino wrote, redaction included', () => {
    vi.useFakeTimers({ now: new Date('2026-11-24T09:15:42.123Z'), toFake: ['Date'] });
    const ours: string[] = [];
    const log = createLogger('json', { write: (line) => void ours.push(line) });
    for (const [first, second] of LINES) log.warn(first, second);
    expect(ours).toEqual(pinoLines());
  });

  it('humanize is time, LEVEL, message and the fields as JSON, tab-separated', () => {
    vi.useFakeTimers({ now: new Date('2026-11-24T09:15:42.123Z'), toFake: ['Date'] });
    const lines: string[] = [];
    const log = createLogger('humanize', { write: (line) => void lines.push(line) });
    log.info({ files: 2, dir: '/tmp/x', password: 's3cr3t' }, 'wrote files');
    log.error('alone');
    expect(lines).toEqual([
      '2026-11-24T09:15:42.123Z\tINFO\twrote files\t{"files":2,"dir":"/tmp/x","password":"[redacted]"}\n',
      '2026-11-24T09:15:42.123Z\tERROR\talone\n',
    ]);
  });

  it('censor the value fields at any depth', () => {
    const lines: string[] = [];
    createLogger('json', { write: (line) => void lines.push(line) }).info({ a: { b: [{ key: 's3cr3t-5', env: { X: 's3cr3t-6' } }] } }, 'm');
    expect(lines.join('')).not.toMatch(/s3cr3t/);
    expect(JSON.parse(lines[0]!).a).toEqual({ b: [{ key: '[redacted]', env: '[redacted]' }] });
  });
});
