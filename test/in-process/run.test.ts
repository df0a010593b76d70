import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { FORWARDED_SIGNALS } from '../../src/launch/stop-before-start.js';
import { fixture } from '../helpers/bundle.js';
import { findLeaks, type Exposure } from '../helpers/leak-scan.js';
import { createSecret, endpoint, REGION } from '../helpers/secrets.js';
import { newEncryptionKey, newPipedKey } from '../helpers/values.js';
import { capture, type Captured } from './capture.js';

/**
 * run() in-process, whole starts: real inputs (env, files, Secrets Manager on moto_server through
 * the fast transport and through the SDK), the real writer into a temp dir, the real log lines
 * (captured from fd 2), and a real program run to its end. The one thing changed is how the program
 * starts: process.execve (Node 22) would replace the vitest worker, so it is hidden for these tests
 * and run() takes its other path, a supervised child (execa), as on Node 20.
 */
const root = mkdtempSync(join(tmpdir(), 'run-in-process-'));
const bin = join(root, 'bin');
mkdirSync(bin);
// Records its argv and its environment (as execve gave it, from /proc), then exits as told.
writeFileSync(
  join(bin, 'pipecd'),
  '#!/bin/sh\nprintf "%s\\n" "$0" "$@" > "$RECORD.args"\n/bin/cat /proc/$$/environ > "$RECORD.env"\n[ -n "$KILL_SELF" ] && kill -"$KILL_SELF" $$\nexit "${EXIT_WITH:-0}"\n',
);
chmodSync(join(bin, 'pipecd'), 0o755);
const config = fixture('control-plane-ecs-demo.yaml');
const loadSdk = () => import('../../src/secrets/sdk-transport.js');

let n = 0;
let out: string;
let record: string;
let cap: Captured;
let execve: PropertyDescriptor | undefined;
const listeners = new Map(FORWARDED_SIGNALS.map((s) => [s, process.listeners(s)]));
const warningListeners = process.listeners('warning');

function baseEnv(): Record<string, string> {
  return {
    PATH: bin,
    HOME: root,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret-access-key',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint(),
    AWS_ENDPOINT_URL_SSM: endpoint(),
    AWS_EC2_METADATA_DISABLED: 'true',
    PIPECD_BOOTSTRAP_DIR: out,
    RECORD: record,
  };
}
const recorded = () => ({
  args: readFileSync(`${record}.args`, 'utf8').split('\n').slice(0, -1),
  env: Object.fromEntries(
    readFileSync(`${record}.env`, 'utf8')
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  ),
});
/** The log lines without what changes from run to run. */
const steady = (lines: Record<string, unknown>[]) =>
  lines.map(({ time, ms, totalMs, ...rest }) => {
    expect(typeof time).toBe('string');
    if (ms !== undefined) expect(typeof ms).toBe('number');
    if (totalMs !== undefined) expect(typeof totalMs).toBe('number');
    return rest;
  });
const exposures = (): Exposure[] => [
  { where: 'stderr', text: cap.stderr.join('') },
  { where: 'stdout', text: cap.stdout },
];

beforeAll(() => {
  execve = Object.getOwnPropertyDescriptor(process, 'execve');
  if (execve) Object.defineProperty(process, 'execve', { value: undefined, configurable: true, writable: true });
});
afterAll(() => {
  if (execve) Object.defineProperty(process, 'execve', execve);
});
beforeEach(() => {
  n++;
  out = join(root, `out-${n}`);
  record = join(root, `record-${n}`);
  cap = capture();
});
afterEach(() => {
  cap.restore();
  // A start leaves its stop-before-start handlers and its warning handler installed, as the process ends right after.
  for (const [signal, before] of listeners) for (const l of process.listeners(signal)) if (!before.includes(l)) process.off(signal, l);
  process.removeAllListeners('warning');
  for (const l of warningListeners) process.on('warning', l);
});

describe('run: a whole start in-process', () => {
  it('server with the key from Secrets Manager (fast transport): files, argv, environment and log lines exact, no value anywhere', async () => {
    const key = newEncryptionKey();
    const secret = await createSecret('run-key', key);
    const env: Record<string, string> = {
      ...baseEnv(),
      CONTROL_PLANE_CONFIG: config,
      ENCRYPTION_KEY_SECRET: secret.name,
      CACHE_ADDRESS: 'redis:6379',
    };
    expect(await run(['server'], env, loadSdk)).toBe(0);
    expect(readFileSync(join(out, 'encryption-key'), 'utf8')).toBe(key);
    expect(readFileSync(join(out, 'control-plane-config.yaml'), 'utf8')).toBe(config);
    expect(
      readdirSync(out)
        .filter((f) => !f.startsWith('..'))
        .sort(),
    ).toEqual(['control-plane-config.yaml', 'encryption-key']);
    const seen = recorded();
    expect(seen.args).toEqual([
      join(bin, 'pipecd'),
      'server',
      `--config-file=${join(out, 'control-plane-config.yaml')}`,
      `--encryption-key-file=${join(out, 'encryption-key')}`,
      '--cache-address=redis:6379',
    ]);
    const { CONTROL_PLANE_CONFIG: _c, ENCRYPTION_KEY_SECRET: _k, CACHE_ADDRESS: _a, PIPECD_BOOTSTRAP_DIR: _d, ...kept } = env;
    expect(seen.env).toEqual(kept);
    expect(steady(cap.lines())).toEqual([
      {
        level: 'info',
        logger: 'pipecd-bootstrap',
        role: 'server',
        inputs: [
          { name: 'CONTROL_PLANE_CONFIG', from: 'env', encoding: 'auto' },
          { name: 'ENCRYPTION_KEY', from: 'secret', encoding: 'raw' },
        ],
        msg: 'read inputs',
      },
      {
        level: 'info',
        logger: 'pipecd-bootstrap',
        secrets: 1,
        client: 'fast',
        calls: 1,
        byOperation: { GetSecretValue: 1 },
        batchDenied: false,
        batchThrottled: false,
        msg: 'resolved inputs',
      },
      {
        level: 'info',
        logger: 'pipecd-bootstrap',
        files: [
          { path: join(out, 'control-plane-config.yaml'), bytes: Buffer.byteLength(config) },
          { path: join(out, 'encryption-key'), bytes: Buffer.byteLength(key) },
        ],
        msg: 'rendered and validated',
      },
      { level: 'info', logger: 'pipecd-bootstrap', dir: out, files: 2, msg: 'wrote files' },
      {
        level: 'info',
        logger: 'pipecd-bootstrap',
        program: join(bin, 'pipecd'),
        args: seen.args.slice(1),
        removedFromEnvironment: ['CACHE_ADDRESS', 'CONTROL_PLANE_CONFIG', 'ENCRYPTION_KEY_SECRET', 'PIPECD_BOOTSTRAP_DIR'],
        mode: 'supervise',
        msg: 'starting program',
      },
    ]);
    expect(cap.stdout).toBe('');
    expect(findLeaks(exposures(), [key])).toEqual([]);
  });

  it('with a profile set, the SDK transport makes the call, and the log says why', async () => {
    const key = newEncryptionKey();
    const secret = await createSecret('run-key-sdk', key);
    writeFileSync(join(root, 'aws-config'), '[profile p]\nregion = us-east-1\n');
    writeFileSync(join(root, 'aws-credentials'), '[p]\naws_access_key_id = AKIDTESTTESTTEST\naws_secret_access_key = test\n');
    const env = {
      ...baseEnv(),
      // Only the SDK knows profiles.
      AWS_PROFILE: 'p',
      AWS_CONFIG_FILE: join(root, 'aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(root, 'aws-credentials'),
      CONTROL_PLANE_CONFIG: config,
      ENCRYPTION_KEY_SECRET: secret.arn,
    };
    // The SDK reads its settings from process.env (the worker's own copy), as in a container where env is process.env.
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      expect(await run(['server'], env, loadSdk)).toBe(0);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
    expect(readFileSync(join(out, 'encryption-key'), 'utf8')).toBe(key);
    const resolved = cap.lines().find((l) => l.msg === 'resolved inputs');
    expect(resolved).toMatchObject({ client: 'sdk', sdkReason: 'a profile (AWS_PROFILE)', calls: 1, byOperation: { GetSecretValue: 1 } });
    expect(findLeaks(exposures(), [key])).toEqual([]);
  });

  it.each([
    ['an exit code', { EXIT_WITH: '3' }, 3],
    ['a signal (128 + n)', { KILL_SELF: 'TERM' }, 143],
  ])('the program ending with %s: run() ends with it', async (_what, extra, code) => {
    const env = { ...baseEnv(), ...extra, CONTROL_PLANE_CONFIG: config, ENCRYPTION_KEY: newEncryptionKey() };
    expect(await run(['server'], env, loadSdk)).toBe(code);
  });

  it('write (an init container): the files, and the program container command on stdout', async () => {
    const key = newEncryptionKey();
    const env = { ...baseEnv(), CONTROL_PLANE_CONFIG: config, ENCRYPTION_KEY: key };
    expect(await run(['write', 'server'], env, loadSdk)).toBe(0);
    expect(readFileSync(join(out, 'encryption-key'), 'utf8')).toBe(key);
    expect(JSON.parse(cap.stdout)).toEqual({
      role: 'server',
      command: [
        'server',
        `--config-file=${join(out, 'control-plane-config.yaml')}`,
        `--encryption-key-file=${join(out, 'encryption-key')}`,
      ],
      files: [
        { input: 'CONTROL_PLANE_CONFIG', path: join(out, 'control-plane-config.yaml'), mode: '0600', uid: 0, gid: 0 },
        { input: 'ENCRYPTION_KEY', path: join(out, 'encryption-key'), mode: '0600', uid: 0, gid: 0 },
      ],
    });
    expect(cap.lines().map((l) => l.msg)).toEqual(['read inputs', 'resolved inputs', 'rendered and validated', 'wrote files']);
    expect(findLeaks(exposures(), [key])).toEqual([]);
  });

  it("write for piped as root: the files and their directories given to piped's user (1000), which stdout names", async () => {
    const key = newPipedKey();
    const env = { ...baseEnv(), PIPED_CONFIG: fixture('piped-full.yaml'), PIPED_KEY: key };
    expect(await run(['write', 'piped'], env, loadSdk)).toBe(0);
    const owner = (p: string) => `${statSync(p).uid}:${statSync(p).gid}`;
    expect([out, realpathSync(join(out, '..data')), join(out, 'piped-config.yaml'), join(out, 'piped-key')].map(owner)).toEqual([
      '1000:1000',
      '1000:1000',
      '1000:1000',
      '1000:1000',
    ]);
    expect(JSON.parse(cap.stdout)).toEqual({
      role: 'piped',
      command: ['piped', `--config-file=${join(out, 'piped-config.yaml')}`],
      files: [
        { input: 'PIPED_CONFIG', path: join(out, 'piped-config.yaml'), mode: '0600', uid: 1000, gid: 1000 },
        { input: 'PIPED_KEY', path: join(out, 'piped-key'), mode: '0600', uid: 1000, gid: 1000 },
      ],
    });
    expect(findLeaks(exposures(), [key])).toEqual([]);
  });

  it('a secret given by name lives in AWS_DEFAULT_REGION when AWS_REGION is not set', async () => {
    const key = newEncryptionKey();
    const secret = await createSecret('run-default-region', key, 'eu-west-2');
    const { AWS_REGION: _r, ...env } = baseEnv();
    const code = await run(
      ['server'],
      { ...env, AWS_DEFAULT_REGION: 'eu-west-2', CONTROL_PLANE_CONFIG: config, ENCRYPTION_KEY_SECRET: secret.name },
      loadSdk,
    );
    expect(code, cap.stderr.join('')).toBe(0);
    expect(readFileSync(join(out, 'encryption-key'), 'utf8')).toBe(key);
  });

  it('render: the plan on stdout, no file written, the removed variables named', async () => {
    const key = newEncryptionKey();
    const env = { ...baseEnv(), CONTROL_PLANE_CONFIG: config, ENCRYPTION_KEY: key };
    expect(await run(['render', 'server'], env, loadSdk)).toBe(0);
    const plan = JSON.parse(cap.stdout);
    expect(plan.program).toBe(join(bin, 'pipecd'));
    expect(plan.environmentRemoved).toEqual(['CONTROL_PLANE_CONFIG', 'ENCRYPTION_KEY', 'PIPECD_BOOTSTRAP_DIR']);
    expect(() => readdirSync(out)).toThrow();
    expect(findLeaks(exposures(), [key])).toEqual([]);
  });

  it('render with no program on PATH: a warning line naming it, the plan still printed', async () => {
    const env = { ...baseEnv(), PATH: join(root, 'nothing'), CONTROL_PLANE_CONFIG: config, ENCRYPTION_KEY: newEncryptionKey() };
    expect(await run(['render', 'server'], env, loadSdk)).toBe(0);
    expect(JSON.parse(cap.stdout).program).toBeNull();
    const warning = cap.lines().find((l) => l.level === 'warn');
    expect(warning).toMatchObject({ level: 'warn', msg: 'program not found: looked for controlplane, pipecd on PATH' });
  });

  it('a secret that does not exist: one error line with the exit code and hint, nothing written, no program', async () => {
    const key = newEncryptionKey();
    const env = { ...baseEnv(), CONTROL_PLANE_CONFIG: config, ENCRYPTION_KEY_SECRET: 'no-such-secret-run', ENCRYPTION_KEY: undefined };
    const code = await run(['server'], { ...env, ENCRYPTION_KEY: key } as Record<string, string>, loadSdk);
    // Two sources for one input is refused before anything is fetched.
    expect(code).toBe(65);
    expect(cap.lines()).toEqual([expect.objectContaining({ level: 'error', exitCode: 65 })]);
    expect(findLeaks(exposures(), [key])).toEqual([]);
    cap.stderr.length = 0;
    const { ENCRYPTION_KEY: _drop, ...alone } = env;
    expect(await run(['server'], alone as Record<string, string>, loadSdk)).toBe(78);
    const error = cap.lines().at(-1)!;
    expect(error).toMatchObject({ level: 'error', exitCode: 78 });
    expect(String(error.msg)).toContain('no-such-secret-run');
    expect(typeof error.hint).toBe('string');
    expect(() => readdirSync(out)).toThrow();
    expect(() => readFileSync(`${record}.args`)).toThrow();
  });

  it('an unexpected error: exit 70, its name and frames but never its message', async () => {
    const secret = newEncryptionKey();
    const env = { ...baseEnv(), CONTROL_PLANE_CONFIG: config, ENCRYPTION_KEY_SECRET: 'x' };
    const broken = async () => {
      throw new TypeError(secret);
    };
    // The SDK path is forced (a profile) so that loading it is what fails.
    expect(await run(['server'], { ...env, AWS_PROFILE: 'p' }, broken as never)).toBe(70);
    const error = cap.lines().at(-1)!;
    expect(error).toMatchObject({
      level: 'error',
      exitCode: 70,
      error: 'TypeError',
      msg: 'internal error in pipecd-bootstrap; please report it',
    });
    expect(Array.isArray(error.frames) && error.frames.length).toBeGreaterThan(0);
    expect((error.frames as string[]).every((f) => f.startsWith('at '))).toBe(true);
    expect(findLeaks(exposures(), [secret])).toEqual([]);
  });

  it('a thrown value that is not an Error: exit 70, named by its type', async () => {
    const env = { ...baseEnv(), CONTROL_PLANE_CONFIG: config, ENCRYPTION_KEY_SECRET: 'x', AWS_PROFILE: 'p' };
    const broken = async () => {
      throw 'a string';
    };
    expect(await run(['server'], env, broken as never)).toBe(70);
    expect(cap.lines().at(-1)).toMatchObject({ exitCode: 70, error: 'string', frames: [] });
  });

  it('humanized log lines: time, level, message, then the fields as JSON, tab-separated', async () => {
    const env = {
      ...baseEnv(),
      PIPECD_BOOTSTRAP_LOG_ENCODING: 'humanize',
      CONTROL_PLANE_CONFIG: config,
      ENCRYPTION_KEY: newEncryptionKey(),
    };
    expect(await run(['render', 'server'], env, loadSdk)).toBe(0);
    const lines = cap.stderr.join('').split('\n').filter(Boolean);
    expect(lines.length).toBe(3);
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\tINFO\t[a-z ]+\t\{.*\}$/);
    const [, , msg, fields] = lines[0]!.split('\t');
    expect(msg).toBe('read inputs');
    expect(JSON.parse(fields!)).toMatchObject({ role: 'server' });
    expect(JSON.parse(fields!)).not.toHaveProperty('logger');
  });

  it('a bad log encoding is reported in JSON, exit 64', async () => {
    expect(await run(['render', 'server', '--log-encoding=xml'], baseEnv(), loadSdk)).toBe(64);
    expect(cap.lines()).toHaveLength(1);
    expect(cap.lines()[0]).toMatchObject({ level: 'error', exitCode: 64 });
    expect(String(cap.lines()[0]!.msg)).toContain('--log-encoding');
  });

  it("Node's own warnings become log lines (first line of the message only)", async () => {
    const env = { ...baseEnv(), CONTROL_PLANE_CONFIG: config, ENCRYPTION_KEY: newEncryptionKey() };
    expect(await run(['render', 'server'], env, loadSdk)).toBe(0);
    cap.stderr.length = 0;
    process.emit('warning', Object.assign(new Error('first line\nsecond line'), { name: 'DeprecationWarning' }));
    expect(steady(cap.lines())).toEqual([{ level: 'warn', logger: 'pipecd-bootstrap', warning: 'DeprecationWarning', msg: 'first line' }]);
  });
});
