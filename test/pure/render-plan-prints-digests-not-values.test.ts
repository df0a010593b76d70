import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describePlan } from '../../src/cli/print-plan.js';

describe('the plan `render` prints', () => {
  it('paths, mode, size and sha256 of each file; never the bytes', () => {
    const secret = Buffer.from('k'.repeat(33));
    const plan = {
      role: 'server' as const,
      files: [{ input: 'ENCRYPTION_KEY' as const, path: '/o/encryption-key', contents: secret }],
      args: ['server', '--encryption-key-file=/o/encryption-key'],
    };
    const described = describePlan(plan, '/usr/local/bin/pipecd', ['ENCRYPTION_KEY']);
    expect(described).toEqual({
      role: 'server',
      program: '/usr/local/bin/pipecd',
      args: ['server', '--encryption-key-file=/o/encryption-key'],
      files: [
        {
          input: 'ENCRYPTION_KEY',
          path: '/o/encryption-key',
          mode: '0600',
          size: 33,
          sha256: createHash('sha256').update(secret).digest('hex'),
        },
      ],
      environmentRemoved: ['ENCRYPTION_KEY'],
    });
    expect(JSON.stringify(described)).not.toContain('kkkkkkkk');
  });

  it('a program that was not found is null', () => {
    expect(describePlan({ role: 'gateway', files: [], args: [] }, undefined, []).program).toBeNull();
  });
});
