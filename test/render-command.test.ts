import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture, start } from './helpers/bundle.js';
import { b64, newEncryptionKey } from './helpers/values.js';

describe('render, --help and --version', () => {
  it('render prints the plan (paths, modes, sizes, digests, argv), writes nothing and starts nothing', async () => {
    const key = newEncryptionKey();
    const config = fixture('control-plane-ecs-demo.yaml');
    const r = await start({
      args: ['render', 'server', '--', '--insecure-cookie'],
      env: { CONTROL_PLANE_CONFIG: b64(config), ENCRYPTION_KEY: key },
    });
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    const out = r.sandbox.out;
    expect(plan).toEqual({
      role: 'server',
      program: `${r.sandbox.bin}/pipecd`,
      args: [
        'server',
        `--config-file=${out}/control-plane-config.yaml`,
        `--encryption-key-file=${out}/encryption-key`,
        '--insecure-cookie',
      ],
      files: [
        {
          input: 'CONTROL_PLANE_CONFIG',
          path: `${out}/control-plane-config.yaml`,
          mode: '0600',
          size: Buffer.byteLength(config),
          sha256: createHash('sha256').update(config).digest('hex'),
        },
        {
          input: 'ENCRYPTION_KEY',
          path: `${out}/encryption-key`,
          mode: '0600',
          size: key.length,
          sha256: createHash('sha256').update(key).digest('hex'),
        },
      ],
      environmentRemoved: ['CONTROL_PLANE_CONFIG', 'ENCRYPTION_KEY', 'PIPECD_BOOTSTRAP_DIR'],
    });
    expect(existsSync(out)).toBe(false);
    expect(r.record).toBeUndefined();
  });

  it('render of an invalid config fails like a start would', async () => {
    const r = await start({ args: ['render', 'gateway'], env: { ENVOY_CONFIG: 'static_resources: {clusters: [{connect_timeout: 1s}]}' } });
    expect(r.code).toBe(65);
    expect(r.stdout).toBe('');
  });

  it('--help lists every role and exit code; --version prints the version', async () => {
    const help = await start({ args: ['--help'] });
    expect(help.code).toBe(0);
    for (const word of ['server', 'ops', 'gateway', 'piped', 'launcher', 'PIPECD_BOOTSTRAP_TIMEOUT', '127 program not found'])
      expect(help.stdout).toContain(word);
    const version = await start({ args: ['--version'] });
    expect(version.stdout).toMatch(/^pipecd-bootstrap \d+\.\d+\.\d+\n$/);
  });

  it('without a ROLE argument, PIPECD_BOOTSTRAP_ROLE names the role (as the piped image sets it)', async () => {
    const r = await start({ args: [], env: { PIPECD_BOOTSTRAP_ROLE: 'launcher', PIPED_CONFIG: fixture('piped-full.yaml') } });
    expect(r.code).toBe(0);
    expect(r.record!.args[0]).toBe('launcher');
    expect(r.record!.env.PIPECD_BOOTSTRAP_ROLE).toBeUndefined();
  });

  it('no role is a usage error (64)', async () => {
    const r = await start({ args: [] });
    expect(r.code).toBe(64);
  });
});
