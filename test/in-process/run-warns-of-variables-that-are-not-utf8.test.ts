import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { FORWARDED_SIGNALS } from '../../src/launch/stop-before-start.js';
import { fixture } from '../helpers/bundle.js';
import { capture, type Captured } from './capture.js';

/**
 * run() in-process, a whole gateway start as a supervised child (process.execve hidden, as in
 * run.test.ts): a variable whose value Node decoded with U+FFFD, not so in the raw environment, is
 * named in one warning line before the program starts; the program gets it as Node holds it.
 */
const root = mkdtempSync(join(tmpdir(), 'run-not-utf8-'));
const bin = join(root, 'bin');
mkdirSync(bin);
writeFileSync(join(bin, 'envoy'), '#!/bin/sh\n/bin/cat /proc/$$/environ > "$RECORD"\n');
chmodSync(join(bin, 'envoy'), 0o755);
const envoy = fixture('envoy-ecs-demo.yaml');

let n = 0;
let cap: Captured;
let execve: PropertyDescriptor | undefined;
const listeners = new Map(FORWARDED_SIGNALS.map((s) => [s, process.listeners(s)]));
const warningListeners = process.listeners('warning');
const WARNING = 'these variables are not UTF-8; the program gets them with U+FFFD in place of the bytes that are not';

beforeAll(() => {
  execve = Object.getOwnPropertyDescriptor(process, 'execve');
  if (execve) Object.defineProperty(process, 'execve', { value: undefined, configurable: true, writable: true });
});
afterAll(() => {
  if (execve) Object.defineProperty(process, 'execve', execve);
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  n++;
  cap = capture();
});
afterEach(() => {
  cap.restore();
  for (const [signal, before] of listeners) for (const l of process.listeners(signal)) if (!before.includes(l)) process.off(signal, l);
  process.removeAllListeners('warning');
  for (const l of warningListeners) process.on('warning', l);
});

const start = async (extra: Record<string, string>) => {
  const record = join(root, `record-${n}`);
  const env = { PATH: bin, PIPECD_BOOTSTRAP_DIR: join(root, `out-${n}`), RECORD: record, ENVOY_CONFIG: envoy, ...extra };
  expect(await run(['gateway'], env, async () => Promise.reject(new Error('no AWS here')))).toBe(0);
  const seen = readFileSync(record, 'utf8').split('\0').filter(Boolean);
  const warnings = cap.lines().filter((l) => l.level === 'warn');
  const order = cap.lines().map((l) => l.msg);
  return { seen, warnings, order };
};

describe('run: variables that are not UTF-8', () => {
  it('are named, in the order of the environment, in one warning before the program starts', async () => {
    const { seen, warnings, order } = await start({ ZED_BROKEN: 'z\uFFFD', A_BROKEN: '\uFFFDa', FINE: 'ok' });
    expect(warnings.map(({ time: _t, ...rest }) => rest)).toEqual([
      { level: 'warn', logger: 'pipecd-bootstrap', variables: ['ZED_BROKEN', 'A_BROKEN'], msg: WARNING },
    ]);
    expect(order.indexOf(WARNING)).toBe(order.indexOf('starting program') - 1);
    expect(seen).toContain('ZED_BROKEN=z\uFFFD');
    expect(seen).toContain('A_BROKEN=\uFFFDa');
    expect(seen).toContain('FINE=ok');
  });

  it('none: no warning at all', async () => {
    const { warnings, order } = await start({ FINE: 'ok' });
    expect(warnings).toEqual([]);
    expect(order).toEqual(['read inputs', 'resolved inputs', 'rendered and validated', 'wrote files', 'starting program']);
  });
});
