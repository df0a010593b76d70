import { writeSync } from 'node:fs';

export type LogEncoding = 'json' | 'humanize';
type Fields = Record<string, unknown>;

/** The one logging interface of the bootstrapper: a message, optionally with fields first. */
export interface Logger {
  info(fields: Fields | string, message?: string): void;
  warn(fields: Fields | string, message?: string): void;
  error(fields: Fields | string, message?: string): void;
}

/** Where finished lines go: stderr, or a test's array. */
export interface LineSink {
  write(line: string): void;
}

/**
 * Field names that would hold a value if a future line ever logged one by mistake, censored at any
 * depth. No line logs them today; this is the second line of defence behind "messages name inputs,
 * never values".
 */
export const REDACTED_FIELDS = [
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
] as const;

const CENSORED: ReadonlySet<string> = new Set(REDACTED_FIELDS);
const censor = (key: string, value: unknown) => (CENSORED.has(key) ? '[redacted]' : value);

/** JSON lines as pino writes them: `level` as a word, `time` in ISO 8601, `logger`, the fields, then `msg`. */
function jsonLine(level: string, fields: Fields, msg: string): string {
  return `${JSON.stringify({ level, time: new Date().toISOString(), logger: 'pipecd-bootstrap', ...fields, msg }, censor)}\n`;
}

/** PipeCD's `--log-encoding=humanize` look: time, level, message, then the fields as JSON, tab-separated. */
function humanLine(level: string, fields: Fields, msg: string): string {
  const rest = Object.keys(fields).length > 0 ? `\t${JSON.stringify(fields, censor)}` : '';
  return `${new Date().toISOString()}\t${level.toUpperCase()}\t${msg}${rest}\n`;
}

// sonic-boom's answer to a full non-blocking pipe, which is what pino.destination({ sync: true }) did here: wait, try again.
const BUSY_WAIT_MS = 100;
// Made at the first wait: a startup snapshot cannot hold a SharedArrayBuffer.
const pause = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, BUSY_WAIT_MS);

/** The whole line on stderr before returning: the process may be replaced by execve right after it. */
function writeAll(fd: number, line: string): void {
  let bytes = Buffer.from(line, 'utf8');
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(fd, bytes));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EAGAIN' && code !== 'EBUSY') throw error;
      pause();
    }
  }
}

const STDERR: LineSink = { write: (line) => writeAll(2, line) };

/**
 * One line per call on stderr, written synchronously. pino wrote these lines until it was measured
 * costing every start several milliseconds (see the README's "Logs"); the line format is pino's.
 * `sink` is for tests.
 */
export function createLogger(encoding: LogEncoding, sink: LineSink = STDERR): Logger {
  const format = encoding === 'json' ? jsonLine : humanLine;
  const at =
    (level: 'info' | 'warn' | 'error') =>
    (first: Fields | string, second?: string): void => {
      if (typeof first === 'string') sink.write(format(level, {}, first));
      else sink.write(format(level, first, second ?? ''));
    };
  return { info: at('info'), warn: at('warn'), error: at('error') };
}
