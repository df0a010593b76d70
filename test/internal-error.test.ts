import { build } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorLine, ROOT, start } from './helpers/bundle.js';
import { CLIENTS } from './helpers/clients.js';
import { expectNoLeak } from './helpers/leak-scan.js';
import { newPipedKey } from './helpers/values.js';

/**
 * An error the bootstrapper did not expect (a bug, or a library failing in a new way) is exit 70
 * with its class and stack frames: its message is not known to be free of values, so it is never
 * logged. The edge that fails is injected through run()'s own parameter, in a bundle built here.
 */
let bundle: string;
beforeAll(async () => {
  bundle = join(mkdtempSync(join(tmpdir(), 'failing-edge-')), 'failing-edge.mjs');
  await build({
    entryPoints: [join(ROOT, 'test/entries/failing-edge.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outfile: bundle,
    // As scripts/build.mjs: some dependencies are CommonJS and require() Node built-ins.
    banner: { js: "import{createRequire as __pbCreateRequire}from'node:module';const require=__pbCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
});

describe('an internal error', () => {
  it('is exit 70, names its class and frames, and never logs its message', async () => {
    const value = `value-${newPipedKey()}`;
    const r = await start({
      command: ['node', bundle],
      args: ['gateway', '--envoy-config-secret=arn:aws:secretsmanager:us-east-1:123456789012:secret:envoy-AbCdEf'],
      // The injected edge is the SDK client's: the environment must make the start choose it.
      env: { ...CLIENTS.find((c) => c.name === 'sdk')!.env, TEST_VALUE_IN_ERROR: value },
    });
    expect(r.code).toBe(70);
    const line = errorLine(r)!;
    expect(Object.keys(line).sort()).toEqual(['error', 'exitCode', 'frames', 'level', 'logger', 'msg', 'time']);
    expect(line).toMatchObject({ exitCode: 70, error: 'TypeError', msg: 'internal error in pipecd-bootstrap; please report it' });
    expect((line.frames as string[]).length).toBeGreaterThan(0);
    expect((line.frames as string[]).every((f) => f.startsWith('at '))).toBe(true);
    expect(r.record).toBeUndefined();
    expectNoLeak(r, [value]);
  });
});
