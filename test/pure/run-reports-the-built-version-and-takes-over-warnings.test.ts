import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * The version comes from the bundle's `__VERSION__` (scripts/build.mjs defines it), else `dev`; it
 * is read when run.ts loads, so each case loads a fresh copy. And run() takes Node's warnings over:
 * the listeners before it are removed, its own is the only one.
 */
const globals = globalThis as { __VERSION__?: unknown };
const noEdge = async () => {
  throw new Error('the AWS edge is not needed here');
};
const freshRun = async () => {
  vi.resetModules();
  return (await import('../../src/cli/run.js')).run;
};

let stdout = '';
const warningListeners = process.listeners('warning');
beforeAll(() => {
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
});
afterEach(() => {
  stdout = '';
  delete globals.__VERSION__;
  process.removeAllListeners('warning');
  for (const l of warningListeners) process.on('warning', l);
});
afterAll(() => void vi.restoreAllMocks());

describe('the version', () => {
  it('is the one the build defined', async () => {
    globals.__VERSION__ = '1.2.3-test';
    const run = await freshRun();
    expect(await run(['--version'], {}, noEdge)).toBe(0);
    expect(stdout).toBe('pipecd-bootstrap 1.2.3-test\n');
  });

  it('is dev when the build defined none', async () => {
    const run = await freshRun();
    expect(await run(['--version'], {}, noEdge)).toBe(0);
    expect(stdout).toBe('pipecd-bootstrap dev\n');
  });
});

describe("Node's warnings", () => {
  it('the listeners that were there are removed, and run() adds exactly one', async () => {
    const before = () => {};
    process.on('warning', before);
    const run = await freshRun();
    expect(await run(['--version'], {}, noEdge)).toBe(0);
    const after = process.listeners('warning');
    expect(after).toHaveLength(1);
    expect(after).not.toContain(before);
  });
});
