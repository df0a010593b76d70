import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { helpText } from '../../src/cli/help.js';
import { run } from '../../src/cli/run.js';
import { FORWARDED_SIGNALS } from '../../src/launch/stop-before-start.js';
import { fixture } from '../helpers/bundle.js';

/**
 * run() in-process, for what ends before the program would start: --help, --version, `render` and
 * failures; their exit codes and stdout. (A start that execs is a process test: here it would
 * replace the test process.) Log lines go to fd 2, which the process tests read.
 */
const bin = join(mkdtempSync(join(tmpdir(), 'run-')), 'bin');
mkdirSync(bin);
copyFileSync('/bin/true', join(bin, 'envoy'));
const envoy = fixture('envoy-ecs-demo.yaml');
const noEdge = async () => {
  throw new Error('the AWS edge is not needed here');
};

let stdout = '';
const before = new Map(FORWARDED_SIGNALS.map((s) => [s, process.listeners(s)]));
beforeAll(() => {
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
});
afterEach(() => {
  stdout = '';
});
afterAll(() => {
  vi.restoreAllMocks();
  // `render` leaves the stop-before-start handlers installed, as the process exits right after.
  for (const [signal, listeners] of before) for (const l of process.listeners(signal)) if (!listeners.includes(l)) process.off(signal, l);
});

describe('run', () => {
  it('--version prints the version and exits 0', async () => {
    expect(await run(['--version'], {}, noEdge)).toBe(0);
    expect(stdout).toBe('pipecd-bootstrap dev\n');
  });

  it('--help prints the help and exits 0, with or without a role', async () => {
    expect(await run(['gateway', '--help'], {}, noEdge)).toBe(0);
    expect(stdout).toBe(helpText('dev'));
  });

  it('render without the program on PATH still prints the plan, with no program', async () => {
    expect(await run(['render', 'gateway'], { ENVOY_CONFIG: envoy, PATH: '/nonexistent' }, noEdge)).toBe(0);
    expect(JSON.parse(stdout).program).toBeNull();
  });

  it.each([
    ['no role', [], {}, 64],
    ['an unknown role', ['nope'], {}, 64],
    ['a bad log encoding, before anything else', ['nope', '--log-encoding=xml'], {}, 64],
    ['a bad log encoding from env', ['--version'], { PIPECD_BOOTSTRAP_LOG_ENCODING: 'xml' }, 64],
    ['a missing input', ['render', 'gateway'], {}, 64],
    ['a name without a region, refused before any edge is loaded', ['render', 'gateway', '--envoy-config-secret=name'], {}, 64],
    [
      'an edge that fails unexpectedly: an internal error',
      ['render', 'gateway', '--envoy-config-secret=name'],
      { AWS_REGION: 'us-east-1' },
      70,
    ],
  ] as const)('%s exits %i and prints nothing on stdout', async (_what, argv, env, code) => {
    expect(await run(argv, env, noEdge)).toBe(code);
    expect(stdout).toBe('');
  });

  it('the role comes from PIPECD_BOOTSTRAP_ROLE when the command line has none', async () => {
    expect(await run(['render'], { PIPECD_BOOTSTRAP_ROLE: 'gateway', ENVOY_CONFIG: envoy, PATH: bin }, noEdge)).toBe(0);
    expect(JSON.parse(stdout).role).toBe('gateway');
  });
});
