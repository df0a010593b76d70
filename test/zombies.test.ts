import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture, launch, MODES, type StartResult } from './helpers/bundle.js';
import { observe } from './helpers/reliability.js';

/**
 * Rule: as PID 1 with no init above it, a role whose program starts children (piped, launcher, ops)
 * is started under the image's tini (`tini -s --`), so that the orphans those children leave are
 * reaped; without a tini the program starts as it is, with a warning, and its orphans stay zombies.
 *
 * PID 1 is real: `unshare --pid --fork --mount-proc` makes a PID namespace, and in its private mount
 * namespace /usr/bin/tini is covered by Debian's static tini (as the images have one) or by
 * /dev/null (no tini at all). The stand-in piped starts a shell that leaves a sleep behind; it
 * records whether that orphan, once exited, was reaped or stayed a zombie.
 */
const pid1With = (tini: string) => [
  'unshare',
  '--pid',
  '--fork',
  '--mount-proc',
  '/bin/sh',
  '-c',
  'mount --bind "$0" /usr/bin/tini && exec "$@"',
  tini,
];

const STATIC_TINI = '/usr/bin/tini-static';
const NO_TINI = '/dev/null';

interface Orphan {
  pid: number;
  state: string;
}

async function startPiped(node: string, wrap: readonly string[]): Promise<{ r: StartResult; orphan: Orphan | undefined }> {
  const { done } = launch({
    node,
    wrap,
    args: ['piped'],
    env: { PIPED_CONFIG: fixture('piped-full.yaml'), STAND_IN_BEHAVIOUR: 'orphan' },
  });
  const r = await done;
  const file = `${r.sandbox.record}.orphan`;
  return { r, orphan: existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Orphan) : undefined };
}

const logLine = (r: StartResult, pattern: RegExp) => r.logs.find((l) => pattern.test(String(l.msg)));

describe('never PID 1 without an init: orphans of the program are reaped', () => {
  describe.each(MODES)('$mode', ({ mode, node, bootstrapperIs }) => {
    it(`${mode}: as PID 1, piped runs under tini -s, and the orphan its child left is reaped`, async () => {
      const { r, orphan } = await startPiped(node, pid1With(STATIC_TINI));
      expect(r.code, JSON.stringify(r.logs.at(-1))).toBe(0);
      expect(logLine(r, /^PID 1 with no init: starting piped under tini/)).toMatchObject({ level: 'info', tini: '/usr/bin/tini' });
      const started = logLine(r, /^starting program$/)!;
      expect(started.program).toBe('/usr/bin/tini');
      expect((started.args as string[]).slice(0, 3)).toEqual(['-s', '--', `${r.sandbox.bin}/piped`]);
      // execve: tini is PID 1 itself; supervise: Node stays PID 1 and tini, its child, is the subreaper.
      expect(r.record!.init!.slice(0, 3)).toEqual(
        bootstrapperIs === 'pid' ? ['/usr/bin/tini', '-s', '--'] : [node, expect.any(String), 'piped'],
      );
      expect(r.record!.args).toEqual(['piped', `--config-file=${r.sandbox.out}/piped-config.yaml`]);
      observe(
        'signals and exit codes',
        `${mode} as PID 1, piped with tini in the image`,
        'piped is started under tini -s; the orphan of its child is reaped',
        `started ${started.program} ${(started.args as string[]).slice(0, 2).join(' ')}; orphan ${orphan?.state}`,
      );
      expect(orphan).toMatchObject({ state: 'reaped' });
    });

    it(`${mode}: as PID 1 with no tini anywhere, piped starts as it is with a warning, and the orphan stays a zombie (control)`, async () => {
      const { r, orphan } = await startPiped(node, pid1With(NO_TINI));
      expect(r.code, JSON.stringify(r.logs.at(-1))).toBe(0);
      const warning = logLine(r, /^PID 1 with no init and no tini/);
      expect(warning).toMatchObject({ level: 'warn', hint: expect.stringContaining('initProcessEnabled') });
      expect(logLine(r, /^starting program$/)!.program).toBe(`${r.sandbox.bin}/piped`);
      observe(
        'signals and exit codes',
        `${mode} as PID 1, piped with no tini in the image`,
        'a warning naming initProcessEnabled; the orphan stays a zombie',
        `${String(warning?.level)}: ${String(warning?.msg).slice(0, 40)}...; orphan ${orphan?.state}`,
      );
      expect(orphan).toMatchObject({ state: 'Z' });
    });
  });

  it('not PID 1 (an init above, as under the images ENTRYPOINT tini): piped is started as it is, no tini added', async () => {
    const { r } = await startPiped(MODES[0].node, []);
    expect(logLine(r, /tini/)).toBeUndefined();
    expect(logLine(r, /^starting program$/)!.program).toBe(`${r.sandbox.bin}/piped`);
  });

  it('as PID 1, a role whose program starts no children (gateway: envoy) is started as it is', async () => {
    const { done } = launch({
      node: MODES[0].node,
      wrap: pid1With(STATIC_TINI),
      args: ['gateway'],
      env: { ENVOY_CONFIG: fixture('envoy-ecs-demo.yaml') },
    });
    const r = await done;
    expect(r.code, JSON.stringify(r.logs.at(-1))).toBe(0);
    expect(logLine(r, /tini/)).toBeUndefined();
    expect(r.record!.pid).toBe(1);
  });
});
