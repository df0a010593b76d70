import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/log.js';

afterEach(() => void vi.useRealTimers());

describe('a log line given fields only', () => {
  it('has an empty message, in JSON and humanized', () => {
    vi.useFakeTimers({ now: new Date('2026-11-24T09:15:42.123Z'), toFake: ['Date'] });
    const json: string[] = [];
    createLogger('json', { write: (line) => void json.push(line) }).info({ files: 2 });
    expect(json.map((line) => JSON.parse(line) as unknown)).toEqual([
      { level: 'info', time: '2026-11-24T09:15:42.123Z', logger: 'pipecd-bootstrap', files: 2, msg: '' },
    ]);
    const human: string[] = [];
    createLogger('humanize', { write: (line) => void human.push(line) }).warn({ files: 2 });
    expect(human).toEqual(['2026-11-24T09:15:42.123Z\tWARN\t\t{"files":2}\n']);
  });
});
