import { writeSync } from 'node:fs';

export type LogEncoding = 'json' | 'humanize';
type Level = 'info' | 'warn' | 'error';
type Fields = Record<string, unknown>;

/** The one logging interface of the bootstrapper: a message, optionally with fields first. */
export interface Logger {
  info(fields: Fields | string, message?: string): void;
  warn(fields: Fields | string, message?: string): void;
  error(fields: Fields | string, message?: string): void;
}

/** PipeCD's `--log-encoding=humanize` look: time, level, message, then the fields as JSON, tab-separated. */
function humanize(time: string, level: Level, message: string, fields: Fields): string {
  const rest = Object.keys(fields).length > 0 ? `\t${JSON.stringify(fields)}` : '';
  return `${time}\t${level.toUpperCase()}\t${message}${rest}\n`;
}

/**
 * JSON lines (or humanized lines) on stderr, written synchronously: the process may be replaced by
 * execve right after a line, and an async buffer would be lost with it. stdout stays free for
 * `render`. This replaces pino: importing it took 11 ms of every start on Node 22 (as long as
 * yaml), for the half-dozen lines a start writes.
 */
export function createLogger(encoding: LogEncoding): Logger {
  const write = (level: Level) => (first: Fields | string, second?: string) => {
    const fields = typeof first === 'string' ? {} : first;
    const message = typeof first === 'string' ? first : (second ?? '');
    const time = new Date().toISOString();
    const line =
      encoding === 'humanize'
        ? humanize(time, level, message, fields)
        : `${JSON.stringify({ level, time, logger: 'pipecd-bootstrap', ...fields, msg: message })}\n`;
    writeSync(2, line);
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
