import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, launch, makeSandbox, MODES, waitForFile, type StartResult } from './helpers/bundle.js';
import { observe } from './helpers/reliability.js';

/**
 * The rule: a SIGTERM that arrives before the program runs ends the start with 143 (or kills the
 * bootstrapper with SIGTERM once the default disposition is back) and starts nothing; one that
 * arrives later reaches the program. Never a program running unaware of it.
 *
 * A large config stretches the synchronous steps (parse, render, write, fsync) where no JavaScript
 * handler can run; SIGTERM is sent at offsets spread over the whole start, many times.
 */
const RUNS = 36;
const TERM_EXIT = 3;
const bigEnvoy = `${fixture('envoy-ecs-demo.yaml')}\n${Array.from({ length: 9000 }, (_, i) => `# padding line ${i} ${'x'.repeat(80)}`).join('\n')}\n`;

type Outcome = 'stopped before writing' | 'stopped after writing' | 'the program got it' | 'PROGRAM RUNNING UNAWARE' | 'OTHER';

/** A start of the program that waits for a signal; the config comes from a file (too large for one variable). */
function startWaiting(node: string) {
  const sandbox = makeSandbox();
  const ready = join(sandbox.root, 'ready');
  const config = join(sandbox.root, 'envoy.yaml');
  writeFileSync(config, bigEnvoy);
  const env = { ENVOY_CONFIG_FILE: config, STAND_IN_BEHAVIOUR: 'wait', STAND_IN_READY: ready, STAND_IN_TERM_EXIT: String(TERM_EXIT) };
  return { ...launch({ node, sandbox, args: ['gateway'], env }), ready };
}

/** How long a start takes to reach the program here. */
async function calibrate(node: string): Promise<number> {
  const t0 = Date.now();
  const { child, done, ready } = startWaiting(node);
  await waitForFile(ready);
  const took = Date.now() - t0;
  child.kill('SIGTERM');
  expect((await done).code).toBe(TERM_EXIT);
  return took;
}

async function once(node: string, delayMs: number): Promise<{ outcome: Outcome; detail: string }> {
  const { child, done, sandbox } = startWaiting(node);
  await new Promise((r) => setTimeout(r, delayMs));
  child.kill('SIGTERM');
  const finished = await Promise.race([done, new Promise<undefined>((r) => setTimeout(r, 8_000))]);
  if (!finished) {
    child.kill('SIGKILL');
    await done;
    return { outcome: 'PROGRAM RUNNING UNAWARE', detail: `SIGTERM at ${delayMs} ms` };
  }
  return classify(finished, sandbox.out, `${sandbox.record}.signals`);
}

function classify(r: StartResult, out: string, signals: string): { outcome: Outcome; detail: string } {
  const killedOrExited = r.signal === 'SIGTERM' || r.code === 143;
  const received = existsSync(signals) && readFileSync(signals, 'utf8').startsWith('SIGTERM');
  const detail = `exit ${r.code ?? r.signal}; record ${r.record ? 'yes' : 'no'}; program saw ${received ? 'SIGTERM' : 'nothing'}`;
  if (received && r.code === TERM_EXIT) return { outcome: 'the program got it', detail };
  // The program (the stand-in) itself killed by SIGTERM before it set its handler: it got it too.
  if (r.record && !received && killedOrExited) return { outcome: 'the program got it', detail };
  if (!r.record && killedOrExited)
    return { outcome: existsSync(join(out, '..data')) ? 'stopped after writing' : 'stopped before writing', detail };
  return { outcome: 'OTHER', detail };
}

describe("a SIGTERM at any moment of the start is either the end of the start or the program's", () => {
  describe.each(MODES)('$mode', ({ mode, node }) => {
    it(`${mode}: ${RUNS} starts, SIGTERM at offsets spread over the whole start`, async () => {
      // Offsets are spread over how long a start takes here (the machine is shared and slow).
      const spanMs = Math.max(200, Math.min(4_000, await calibrate(node)));
      // Past the span too: the program must also get the signals that come after it started.
      const counts = new Map<Outcome, number>();
      const odd: string[] = [];
      const count = ({ outcome, detail }: { outcome: Outcome; detail: string }) => {
        counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
        if (outcome === 'PROGRAM RUNNING UNAWARE' || outcome === 'OTHER') odd.push(`${outcome}: ${detail}`);
      };
      for (let i = 0; i < RUNS; i += 2) {
        const pair = await Promise.all([i, i + 1].map((k) => once(node, Math.round(((k + Math.random()) / RUNS) * spanMs * 1.8))));
        pair.forEach(count);
      }
      // A loaded machine can stretch every start past the offsets: then later ones, until the program gets one.
      for (let late = 2; !counts.has('the program got it') && late < 8; late++) count(await once(node, spanMs * late));
      const summary = [...counts].map(([o, n]) => `${n} ${o}`).join(', ');
      observe(
        'signals and exit codes',
        `${mode}: SIGTERM at ${RUNS} random moments of a start with a 900 KB config`,
        'each: exit 143 and nothing started, or the program received it; never a program unaware',
        summary,
      );
      expect(odd).toEqual([]);
      expect(counts.get('the program got it') ?? 0).toBeGreaterThan(0);
      expect((counts.get('stopped before writing') ?? 0) + (counts.get('stopped after writing') ?? 0)).toBeGreaterThan(0);
    }, 300_000);
  });
});
