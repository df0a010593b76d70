import { writeSync } from 'node:fs';
import pino, { type Logger } from 'pino';

export type LogEncoding = 'json' | 'humanize';
export type { Logger };

/** PipeCD's `--log-encoding=humanize` look: time, level, message, then the fields as JSON, tab-separated. */
export function humanize(line: string): string {
  const { time, level, msg, ...fields } = JSON.parse(line) as Record<string, unknown>;
  const rest = Object.keys(fields).length > 0 ? `\t${JSON.stringify(fields)}` : '';
  return `${String(time)}\t${String(level).toUpperCase()}\t${String(msg)}${rest}\n`;
}

/**
 * Logs go to stderr, written synchronously: the process may be replaced by execve right after a
 * line, and an async buffer would be lost with it. stdout stays free for `render`.
 */
export function createLogger(encoding: LogEncoding): Logger {
  const destination = {
    write(line: string) {
      writeSync(2, encoding === 'humanize' ? humanize(line) : line);
    },
  };
  return pino(
    {
      base: { logger: 'pipecd-bootstrap' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

export function parseLogEncoding(value: string | undefined): LogEncoding | undefined {
  if (value === undefined || value === '' || value === 'json') return 'json';
  if (value === 'humanize') return 'humanize';
  return undefined;
}
