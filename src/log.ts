import { writeSync } from 'node:fs';
import pino, { type DestinationStream } from 'pino';

export type LogEncoding = 'json' | 'humanize';
type Fields = Record<string, unknown>;

/** The one logging interface of the bootstrapper: a message, optionally with fields first. */
export interface Logger {
  info(fields: Fields | string, message?: string): void;
  warn(fields: Fields | string, message?: string): void;
  error(fields: Fields | string, message?: string): void;
}

/**
 * Field names that would hold a value if a future line ever logged one by mistake. No line logs them
 * today; pino's redact is the second line of defence behind "messages name inputs, never values".
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
  '*.value',
  '*.contents',
  '*.SecretString',
  '*.SecretBinary',
  '*.password',
  'files[*].contents',
] as const;

/** PipeCD's `--log-encoding=humanize` look: time, level, message, then the fields as JSON, tab-separated. */
function humanize(jsonLine: string): string {
  const { level, time, logger: _logger, msg, ...fields } = JSON.parse(jsonLine) as Fields & { level: string; time: string; msg?: string };
  const rest = Object.keys(fields).length > 0 ? `\t${JSON.stringify(fields)}` : '';
  return `${time}\t${level.toUpperCase()}\t${msg ?? ''}${rest}\n`;
}

/** stderr, synchronously: the process may be replaced by execve right after a line, and a buffered line would be lost. */
function stderr(encoding: LogEncoding): DestinationStream {
  if (encoding === 'json') return pino.destination({ fd: 2, sync: true });
  return { write: (line: string) => void writeSync(2, humanize(line)) };
}

/**
 * JSON lines (or humanized lines) on stderr through pino: `level` as a word, `time` in ISO 8601,
 * `logger`, the fields, then `msg`. stdout stays free for `render`. `destination` is for tests.
 */
export function createLogger(encoding: LogEncoding, destination: DestinationStream = stderr(encoding)): Logger {
  const logger = pino(
    {
      base: { logger: 'pipecd-bootstrap' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACTED_FIELDS], censor: '[redacted]' },
    },
    destination,
  );
  const at =
    (level: 'info' | 'warn' | 'error') =>
    (first: Fields | string, second?: string): void => {
      if (typeof first === 'string') logger[level](first);
      else logger[level](first, second ?? '');
    };
  return { info: at('info'), warn: at('warn'), error: at('error') };
}
