import { afterEach, describe, expect, it, vi } from 'vitest';
import { describePlan, printPlan } from '../../src/cli/print-plan.js';
import type { LaunchPlan } from '../../src/domain.js';

/** What `render` prints: each file's input, path and mode; the size of a config only, never of a credential. */
const PLAN: LaunchPlan = {
  role: 'server',
  args: ['server', '--config-file=/o/control-plane-config.yaml'],
  files: [
    { input: 'CONTROL_PLANE_CONFIG', path: '/o/control-plane-config.yaml', contents: Buffer.from('apiVersion: x\n') },
    { input: 'ENCRYPTION_KEY', path: '/o/encryption-key', contents: Buffer.from('k'.repeat(40)) },
    { input: 'ENVOY_CONFIG', path: '/o/envoy-config.yaml', contents: Buffer.from('') },
    { input: 'MYSQL_PASSWORD', path: '/o/mysql-password', contents: Buffer.from('pw') },
    { input: 'PIPED_CONFIG', path: '/o/piped-config.yaml', contents: Buffer.from('€') },
    { input: 'PIPED_KEY', path: '/o/piped-key', contents: Buffer.from('piped key') },
  ],
};

const EXPECTED = {
  role: 'server',
  program: '/usr/local/bin/pipecd',
  args: ['server', '--config-file=/o/control-plane-config.yaml'],
  files: [
    { input: 'CONTROL_PLANE_CONFIG', path: '/o/control-plane-config.yaml', mode: '0600', size: 14 },
    { input: 'ENCRYPTION_KEY', path: '/o/encryption-key', mode: '0600' },
    { input: 'ENVOY_CONFIG', path: '/o/envoy-config.yaml', mode: '0600', size: 0 },
    { input: 'MYSQL_PASSWORD', path: '/o/mysql-password', mode: '0600' },
    // Bytes, not characters.
    { input: 'PIPED_CONFIG', path: '/o/piped-config.yaml', mode: '0600', size: 3 },
    { input: 'PIPED_KEY', path: '/o/piped-key', mode: '0600' },
  ],
  environmentRemoved: ['CONTROL_PLANE_CONFIG', 'ENCRYPTION_KEY_SECRET'],
};

afterEach(() => void vi.restoreAllMocks());

describe('describePlan', () => {
  it('shows each file with its mode, and a size for the configs only', () => {
    expect(describePlan(PLAN, '/usr/local/bin/pipecd', ['CONTROL_PLANE_CONFIG', 'ENCRYPTION_KEY_SECRET'])).toStrictEqual(EXPECTED);
  });

  it('a program that was not found is null; no files, no removed variables', () => {
    expect(describePlan({ role: 'gateway', args: [], files: [] }, undefined, [])).toStrictEqual({
      role: 'gateway',
      program: null,
      args: [],
      files: [],
      environmentRemoved: [],
    });
  });

  it('printPlan writes it as indented JSON and a newline', () => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    printPlan(PLAN, '/usr/local/bin/pipecd', ['CONTROL_PLANE_CONFIG', 'ENCRYPTION_KEY_SECRET']);
    expect(out).toBe(`${JSON.stringify(EXPECTED, null, 2)}\n`);
  });
});
