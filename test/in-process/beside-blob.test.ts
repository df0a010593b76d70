import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { requireBesideBlob } from '../../src/beside-blob.js';
import { execa } from '../../src/launch/execa-beside-blob.js';

/**
 * What the startup snapshot's code loads from beside its blob, in-process: real CommonJS files in a
 * temp dir beside a blob path given as the snapshot's --snapshot-blob flag would be (this worker's
 * process.execArgv, restored after each test).
 */
const dir = mkdtempSync(join(tmpdir(), 'beside-blob-'));
writeFileSync(join(dir, 'thing.cjs'), 'module.exports = { where: __dirname };\n');
writeFileSync(join(dir, 'execa.cjs'), 'module.exports = { execa: (...args) => ({ called: args }) };\n');
const execArgv = [...process.execArgv];
afterEach(() => {
  process.execArgv.splice(0, process.execArgv.length, ...execArgv);
});

describe('requireBesideBlob', () => {
  it.each([
    ['--snapshot-blob=PATH', (blob: string) => [`--snapshot-blob=${blob}`]],
    ['--snapshot-blob PATH', (blob: string) => ['--snapshot-blob', blob]],
    ['a relative PATH', (blob: string) => [`--snapshot-blob=${relative(process.cwd(), blob)}`]],
  ])('loads a file beside the blob named by %s', (_form, flag) => {
    process.execArgv.push('--no-warnings', ...flag(join(dir, 'snap.blob')));
    expect(requireBesideBlob<{ where: string }>('./thing.cjs')).toEqual({ where: dir });
  });

  it('without --snapshot-blob it refuses', () => {
    expect(() => requireBesideBlob('./thing.cjs')).toThrow(new Error('started without --snapshot-blob'));
  });

  it("execa from beside the blob: the file's execa, called with the arguments as given", () => {
    process.execArgv.push(`--snapshot-blob=${join(dir, 'snap.blob')}`);
    expect(execa('/bin/x', ['a', 'b'], { env: { A: '1' } } as never)).toEqual({ called: ['/bin/x', ['a', 'b'], { env: { A: '1' } }] });
  });
});
