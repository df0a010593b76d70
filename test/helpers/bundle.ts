import type { ChildProcess } from 'node:child_process';
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BUNDLE, FIXTURES, NODE22, ROOT, STAND_IN, SYSTEM_NODE } from '../../scripts/lib/paths.mjs';
import { endpoint, REGION } from './secrets.js';

export { BUNDLE, FIXTURES, NODE22, ROOT, STAND_IN };
/** The machine's own Node (20 here), which lacks process.execve. */
export const NODE20 = SYSTEM_NODE!;

/**
 * The two ways the program is started, with what each looks like from outside, for describe.each:
 * the bootstrapper's PID is the program's own (`pid`, execve) or its parent's (`ppid`, supervise),
 * and a program killed by SIGKILL shows as that signal or as a supervisor's exit 137.
 */
export const MODES = [
  {
    mode: 'execve',
    node: NODE22,
    title: 'Node 22, process.execve',
    bootstrapperIs: 'pid',
    afterSigkill: { code: null, signal: 'SIGKILL' },
  },
  {
    mode: 'supervise',
    node: NODE20,
    title: 'Node 20, a supervised child',
    bootstrapperIs: 'ppid',
    afterSigkill: { code: 137, signal: null },
  },
] as const;

export const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

export interface Sandbox {
  readonly root: string;
  readonly bin: string;
  readonly out: string;
  readonly record: string;
}

/** A directory of stand-in programs named like the real ones, and a place for the output. */
export function makeSandbox(programs: readonly string[] = ['pipecd', 'envoy', 'piped', 'launcher']): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'pipecd-bootstrap-test-'));
  const bin = join(root, 'bin');
  mkdirSync(bin);
  for (const name of programs) symlinkSync(STAND_IN, join(bin, name));
  return { root, bin, out: join(root, 'out'), record: join(root, 'record.json') };
}

export interface StandInRecord {
  program: string;
  args: string[];
  pid: number;
  ppid: number;
  env: Record<string, string>;
  environ: string[];
  cmdline: string[];
  /** The command line of PID 1 in the program's PID namespace. */
  init?: string[];
  sigIgn: string;
  files: { path: string; mode?: string; uid?: number; size?: number; base64?: string; sha256?: string; error?: string }[];
}

export interface StartResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stderr parsed as JSON log lines (lines that are not JSON are kept as { raw }). */
  logs: Record<string, unknown>[];
  record: StandInRecord | undefined;
  pid: number;
  sandbox: Sandbox;
}

export interface StartOptions {
  args?: readonly string[];
  env?: Readonly<Record<string, string>>;
  node?: string;
  sandbox?: Sandbox;
  /** Endpoint for Secrets Manager and SSM; the local moto_server by default. */
  secretsEndpoint?: string;
  wrap?: readonly string[];
  /** The bootstrapper's command; `node BUNDLE` by default. */
  command?: readonly string[];
}

/** The environment of a container: no bootstrap variables unless the test sets them. */
export function baseEnv(sandbox: Sandbox, secretsEndpoint: string): Record<string, string> {
  return {
    PATH: `${sandbox.bin}:${dirname(NODE20)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: sandbox.root,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret-access-key',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsEndpoint,
    AWS_ENDPOINT_URL_SSM: secretsEndpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    PIPECD_BOOTSTRAP_DIR: sandbox.out,
    STAND_IN_RECORD: sandbox.record,
  };
}

export function launch(options: StartOptions = {}): { child: ChildProcess; sandbox: Sandbox; done: Promise<StartResult> } {
  const sandbox = options.sandbox ?? makeSandbox();
  const env = { ...baseEnv(sandbox, options.secretsEndpoint ?? endpoint()), ...options.env };
  const command = [...(options.wrap ?? []), ...(options.command ?? [options.node ?? NODE20, BUNDLE]), ...(options.args ?? [])];
  const child = execa(command[0]!, command.slice(1), {
    env,
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
    stripFinalNewline: false,
    // The tests send signals themselves and wait for what follows; execa must not add a SIGKILL.
    forceKillAfterDelay: false,
  });
  const done = child.then((result): StartResult => {
    const stderr = String(result.stderr);
    const logs = stderr
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          return { raw: l };
        }
      });
    const record = existsSync(sandbox.record) ? (JSON.parse(readFileSync(sandbox.record, 'utf8')) as StandInRecord) : undefined;
    const signal = (result.signal ?? null) as NodeJS.Signals | null;
    return {
      code: signal ? null : (result.exitCode ?? null),
      signal,
      stdout: String(result.stdout),
      stderr,
      logs,
      record,
      pid: child.pid!,
      sandbox,
    };
  });
  return { child, sandbox, done };
}

export const start = (options: StartOptions = {}) => launch(options).done;

/** The error line of a failed start. */
export const errorLine = (result: StartResult) => result.logs.find((l) => l.level === 'error');

export async function waitForFile(path: string, timeoutMs = 20_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      if (text !== '') return text;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${path} did not appear within ${timeoutMs} ms`);
}
