import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { observe } from './helpers/reliability.js';
import { errorLine, fixture, launch, makeSandbox, MODES, NODE22, start, waitForFile } from './helpers/bundle.js';

const envoy = fixture('envoy-ecs-demo.yaml');

describe.each(MODES)('$mode ($title)', ({ mode, node, bootstrapperIs, afterSigkill }) => {
  it(`the bootstrapper's PID is the program's ${bootstrapperIs}`, async () => {
    const r = await start({ node, args: ['gateway'], env: { ENVOY_CONFIG: envoy } });
    expect(r.code).toBe(0);
    expect(r.logs.find((l) => l.msg === 'starting program')!.mode).toBe(mode);
    expect(r.record![bootstrapperIs]).toBe(r.pid);
  });

  for (const code of [0, 1, 2]) {
    it(`exit code ${code} of the program comes back`, async () => {
      const r = await start({ node, args: ['gateway'], env: { ENVOY_CONFIG: envoy, STAND_IN_BEHAVIOUR: `exit:${code}` } });
      observe('signals and exit codes', `${mode}: program exits ${code}`, `exit ${code}`, `exit ${r.code}`);
      expect(r.code).toBe(code);
    });
  }

  it('death by signal comes back (SIGKILL: killed, or 137 from a supervisor)', async () => {
    const r = await start({ node, args: ['gateway'], env: { ENVOY_CONFIG: envoy, STAND_IN_BEHAVIOUR: 'kill:SIGKILL' } });
    const shown = ({ code, signal }: { code: number | null; signal: string | null }) => (signal ? `killed by ${signal}` : `exit ${code}`);
    observe('signals and exit codes', `${mode}: program dies of SIGKILL`, shown(afterSigkill), shown(r));
    expect({ code: r.code, signal: r.signal }).toEqual(afterSigkill);
  });

  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const) {
    it(`${signal} sent to the bootstrapper's PID reaches the program`, async () => {
      const sandbox = makeSandbox();
      const ready = join(sandbox.root, 'ready');
      const { child, done } = launch({
        node,
        sandbox,
        args: ['gateway'],
        env: { ENVOY_CONFIG: envoy, STAND_IN_BEHAVIOUR: 'wait', STAND_IN_READY: ready, STAND_IN_TERM_EXIT: '3' },
      });
      await waitForFile(ready);
      child.kill(signal);
      const keepsRunning = ['SIGUSR1', 'SIGUSR2', 'SIGHUP'].includes(signal);
      if (keepsRunning) {
        await waitForFile(`${sandbox.record}.signals`);
        child.kill('SIGTERM');
      }
      const r = await done;
      const received = readFileSync(`${sandbox.record}.signals`, 'utf8').split('\n')[0];
      observe(
        'signals and exit codes',
        `${mode}: ${signal} to the bootstrapper's PID`,
        'the program receives it; its exit code 3 comes back',
        `program received ${received}; exit ${r.code}`,
      );
      expect(r.code).toBe(3);
      expect(received).toBe(signal);
    });
  }

  it('the program gets no bootstrap variable, and the rest of the environment as it was', async () => {
    const r = await start({
      node,
      args: ['gateway'],
      env: {
        ENVOY_CONFIG: envoy,
        ENVOY_CONFIG_ENCODING: 'auto',
        DATASTORE_HOST: 'x',
        PIPECD_BINARY: 'envoy',
        PIPECD_BOOTSTRAP_TIMEOUT: '5',
        KEEP_ME: 'yes',
      },
    });
    expect(r.code).toBe(0);
    const names = r.record!.environ.map((e) => e.split('=')[0]);
    for (const gone of [
      'ENVOY_CONFIG',
      'ENVOY_CONFIG_ENCODING',
      'DATASTORE_HOST',
      'PIPECD_BINARY',
      'PIPECD_BOOTSTRAP_TIMEOUT',
      'PIPECD_BOOTSTRAP_DIR',
    ]) {
      expect(names).not.toContain(gone);
    }
    expect(r.record!.env.KEEP_ME).toBe('yes');
    expect(r.record!.env.AWS_REGION).toBe('us-east-1');
  });
});

describe('program lookup', () => {
  it('a missing program is exit 127 before any file is written', async () => {
    const r = await start({ sandbox: makeSandbox([]), args: ['gateway'], env: { ENVOY_CONFIG: envoy } });
    expect(r.code).toBe(127);
    expect(errorLine(r)!.msg).toBe('program not found: looked for envoy on PATH');
    expect(errorLine(r)!.hint).toBe("run in a PipeCD image, or set PIPECD_BINARY to the program's path");
  });

  it('PIPECD_BINARY naming a file without the execute bit is exit 126, and Node 22 does not abort in execve', async () => {
    const sandbox = makeSandbox();
    const path = join(sandbox.root, 'not-executable');
    writeFileSync(path, '#!/bin/sh\n');
    chmodSync(path, 0o644);
    const r = await start({ node: NODE22, sandbox, args: ['gateway'], env: { ENVOY_CONFIG: envoy, PIPECD_BINARY: path } });
    expect(r.code).toBe(126);
  });

  it('with execve, signals Node ignores (SIGPIPE, SIGXFSZ) are default again in the program', async () => {
    const sandbox = makeSandbox([]);
    const program = join(sandbox.bin, 'envoy');
    writeFileSync(program, `#!/bin/sh\ngrep SigIgn /proc/self/status > "${sandbox.record}.sigign"\n`);
    chmodSync(program, 0o755);
    const r = await start({ node: NODE22, sandbox, args: ['gateway'], env: { ENVOY_CONFIG: envoy } });
    expect(r.code).toBe(0);
    expect(readFileSync(`${sandbox.record}.sigign`, 'utf8').trim()).toBe('SigIgn:\t0000000000000000');
  });
});

/**
 * The outcome images and the benchmark rely on: a warm cache after a start that ends in execve. The
 * Node 22 here writes it across execve even without replaceProcess's flush (checked by removing the
 * flush), so this guards the outcome on this Node, not that line; the flush is for Node versions
 * whose execve skips the write at exit.
 */
describe('NODE_COMPILE_CACHE across execve', () => {
  it('a start with NODE_COMPILE_CACHE leaves the cache for the next start across execve, and only then', async () => {
    const sandbox = makeSandbox();
    const cache = join(sandbox.root, 'compile-cache');
    const r = await start({ node: NODE22, sandbox, args: ['gateway'], env: { ENVOY_CONFIG: envoy, NODE_COMPILE_CACHE: cache } });
    expect(r.code).toBe(0);
    expect(r.record!.pid).toBe(r.pid);
    expect(readdirSync(cache, { recursive: true }).length).toBeGreaterThan(0);
    // The control: without the variable no start writes a cache there.
    rmSync(cache, { recursive: true });
    const without = await start({ node: NODE22, sandbox, args: ['gateway'], env: { ENVOY_CONFIG: envoy } });
    expect(without.code).toBe(0);
    expect(existsSync(cache)).toBe(false);
  });
});
