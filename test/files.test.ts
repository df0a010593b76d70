import { chmodSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorLine, fixture, makeSandbox, start } from './helpers/bundle.js';
import { newEncryptionKey } from './helpers/values.js';
import { observe } from './helpers/reliability.js';

const config = fixture('control-plane-ecs-demo.yaml');

/** The stable names in the output directory, without the writer's own `..data` and set directories. */
const visible = (dir: string) =>
  readdirSync(dir)
    .filter((n) => !n.startsWith('..'))
    .sort();
/** The writer's own entries: `..data` and the set directories. */
const internal = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('..'));

describe('files are written whole, private and never appended to', () => {
  it('files are 0600 in a 0700 set directory owned by the running user; an existing 0755 output directory is not changed', async () => {
    const sandbox = makeSandbox();
    mkdirSync(sandbox.out, { mode: 0o755 });
    chmodSync(sandbox.out, 0o755);
    const r = await start({ sandbox, args: ['server'], env: { CONTROL_PLANE_CONFIG: config, ENCRYPTION_KEY: newEncryptionKey() } });
    expect(r.code).toBe(0);
    const setMode = statSync(join(sandbox.out, '..data')).mode & 0o777;
    observe(
      'files',
      'output dir left 0755 by someone',
      'dir left 0755 (not ours to change), set dir 0700, files 0600, owned by us',
      `dir ${(statSync(sandbox.out).mode & 0o777).toString(8)}, set dir ${setMode.toString(8)}, files ${r.record!.files.map((f) => `${f.mode} uid ${f.uid}`).join(', ')}`,
    );
    expect(statSync(sandbox.out).mode & 0o777).toBe(0o755);
    expect(setMode).toBe(0o700);
    for (const f of r.record!.files) {
      expect(f.mode).toBe('600');
      expect(f.uid).toBe(process.getuid!());
    }
  });

  it('the mode does not depend on the umask', async () => {
    const r = await start({
      wrap: ['sh', '-c', 'umask 0177; exec "$0" "$@"'],
      args: ['gateway'],
      env: { ENVOY_CONFIG: fixture('envoy-ecs-demo.yaml') },
    });
    expect(r.code).toBe(0);
    observe('files', 'umask 0177', 'file 0600', `file ${r.record!.files[0]!.mode}`);
    expect(r.record!.files[0]!.mode).toBe('600');
  });

  it('a second start in the same container overwrites: the key file holds exactly the new key', async () => {
    const sandbox = makeSandbox();
    const longKey = newEncryptionKey() + newEncryptionKey();
    const shortKey = newEncryptionKey();
    await start({ sandbox, args: ['server'], env: { CONTROL_PLANE_CONFIG: config, ENCRYPTION_KEY: longKey } });
    const r = await start({ sandbox, args: ['server'], env: { CONTROL_PLANE_CONFIG: config, ENCRYPTION_KEY: shortKey } });
    expect(r.code).toBe(0);
    const size = statSync(join(sandbox.out, 'encryption-key')).size;
    observe('files', 'second start with a shorter key', `key file ${shortKey.length} bytes (overwritten)`, `key file ${size} bytes`);
    expect(readFileSync(join(sandbox.out, 'encryption-key'), 'utf8')).toBe(shortKey);
    expect(visible(sandbox.out)).toEqual(['control-plane-config.yaml', 'encryption-key']);
    expect(internal(sandbox.out)).toHaveLength(2);
  });

  it('a start that fails validation writes nothing and leaves the files of the last good start as they were', async () => {
    const sandbox = makeSandbox();
    const key = newEncryptionKey();
    await start({ sandbox, args: ['server'], env: { CONTROL_PLANE_CONFIG: config, ENCRYPTION_KEY: key } });
    const before = readFileSync(join(sandbox.out, 'control-plane-config.yaml'));
    const r = await start({
      sandbox,
      args: ['server'],
      env: { CONTROL_PLANE_CONFIG: config.replace('kind: ControlPlane', 'kind: Piped'), ENCRYPTION_KEY: newEncryptionKey() },
    });
    expect(r.code).toBe(65);
    const same = readFileSync(join(sandbox.out, 'control-plane-config.yaml')).equals(before);
    observe(
      'files',
      'start failing validation after a good one',
      'exit 65; files of the good start untouched',
      `exit ${r.code}; files ${same ? 'untouched' : 'CHANGED'}; dir holds ${readdirSync(sandbox.out).join(', ')}`,
    );
    expect(same).toBe(true);
    expect(readFileSync(join(sandbox.out, 'encryption-key'), 'utf8')).toBe(key);
    expect(visible(sandbox.out)).toEqual(['control-plane-config.yaml', 'encryption-key']);
    expect(internal(sandbox.out)).toHaveLength(2);
  });

  it('a path of the set taken by a directory is exit 73 before anything is written, and starts nothing', async () => {
    const sandbox = makeSandbox();
    mkdirSync(sandbox.out, { mode: 0o700 });
    mkdirSync(join(sandbox.out, 'encryption-key'));
    writeFileSync(join(sandbox.out, 'encryption-key', 'keep'), '');
    const r = await start({ sandbox, args: ['server'], env: { CONTROL_PLANE_CONFIG: config, ENCRYPTION_KEY: newEncryptionKey() } });
    observe(
      'files',
      'a directory where encryption-key goes',
      'exit 73, nothing written, nothing started',
      `exit ${r.code}; ${internal(sandbox.out).length} entries of the writer; ${r.record ? 'program STARTED' : 'nothing started'}`,
    );
    expect(r.code).toBe(73);
    expect(errorLine(r)!.msg).toMatch(/encryption-key exists and is not a file$/);
    expect(readdirSync(sandbox.out)).toEqual(['encryption-key']);
    expect(r.record).toBeUndefined();
  });

  it('the stable paths are links through ..data into the set of the last start', async () => {
    const r = await start({ args: ['server'], env: { CONTROL_PLANE_CONFIG: config, ENCRYPTION_KEY: newEncryptionKey() } });
    expect(r.code).toBe(0);
    const out = r.sandbox.out;
    expect(readlinkSync(join(out, 'encryption-key'))).toBe('..data/encryption-key');
    expect(readlinkSync(join(out, '..data'))).toMatch(/^\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.\d{3}\./);
  });

  it('an output directory that is a file is exit 73', async () => {
    const sandbox = makeSandbox();
    writeFileSync(sandbox.out, '');
    const r = await start({ sandbox, args: ['gateway'], env: { ENVOY_CONFIG: fixture('envoy-ecs-demo.yaml') } });
    expect(r.code).toBe(73);
  });

  it('key files get no newline added or removed', async () => {
    const key = `${newEncryptionKey()}\n`;
    const r = await start({ args: ['server'], env: { CONTROL_PLANE_CONFIG: config, ENCRYPTION_KEY: key } });
    expect(r.code).toBe(0);
    expect(readFileSync(join(r.sandbox.out, 'encryption-key'), 'utf8')).toBe(key);
    const piped = await start({ args: ['piped'], env: { PIPED_CONFIG: fixture('piped-full.yaml'), PIPED_KEY: 'abc\n' } });
    expect(readFileSync(join(piped.sandbox.out, 'piped-key'), 'utf8')).toBe('abc\n');
    expect(piped.logs.find((l) => l.level === 'warn')!.msg).toBe(
      'PIPED_KEY (env PIPED_KEY) ends with a line break; it is written as given and read untrimmed',
    );
  });
});
