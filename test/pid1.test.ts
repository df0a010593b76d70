import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { observe } from './helpers/reliability.js';
import { fixture, launch, makeSandbox, MODES, waitForFile } from './helpers/bundle.js';

const envoy = fixture('envoy-ecs-demo.yaml');
const UNSHARE = ['unshare', '--pid', '--fork', '--mount-proc'];

/** The host PID of unshare's child, the process that is PID 1 inside the new namespace. */
const namespaceInit = (unsharePid: number) =>
  Number(readFileSync(`/proc/${unsharePid}/task/${unsharePid}/children`, 'utf8').trim().split(' ')[0]);

describe('as PID 1 of a PID namespace, as in a container without an init', () => {
  describe.each(MODES)('$mode', ({ mode, node, bootstrapperIs }) => {
    it(`${mode}: SIGTERM to PID 1 reaches the program and its exit code comes back`, async () => {
      const sandbox = makeSandbox();
      const ready = join(sandbox.root, 'ready');
      const { child, done } = launch({
        wrap: UNSHARE,
        node,
        sandbox,
        args: ['gateway'],
        env: { ENVOY_CONFIG: envoy, STAND_IN_BEHAVIOUR: 'wait', STAND_IN_READY: ready, STAND_IN_TERM_EXIT: '42' },
      });
      const programPid = Number(await waitForFile(ready));
      const record = JSON.parse(readFileSync(sandbox.record, 'utf8')) as { ppid: number };
      // With execve the program itself is PID 1; a supervisor is PID 1 and the program its child.
      expect({ pid: programPid, ppid: record.ppid }[bootstrapperIs]).toBe(1);
      process.kill(namespaceInit(child.pid!), 'SIGTERM');
      const r = await done;
      const received = readFileSync(`${sandbox.record}.signals`, 'utf8');
      observe(
        'signals and exit codes',
        `${mode} as PID 1 (unshare --pid): SIGTERM to PID 1`,
        'the program receives SIGTERM; exit 42 comes back',
        `program received ${received.trim()}; exit ${r.code}`,
      );
      expect(received).toBe('SIGTERM\n');
      expect(r.code).toBe(42);
    });
  });
});
