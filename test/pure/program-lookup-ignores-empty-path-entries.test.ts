import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProgram, isExecutableFile } from '../../src/launch/find-program.js';
import { failureOf } from '../helpers/failure.js';

/**
 * An empty PATH entry means the working directory to a shell; here it means nothing: a program is
 * never taken from wherever the container happens to start. The probe is a real executable named
 * relative to the working directory, which an empty entry would find.
 */
const root = mkdtempSync(join(tmpdir(), 'find-program-empty-'));
const elsewhere = join(root, 'elsewhere');
mkdirSync(elsewhere);
copyFileSync('/bin/true', join(root, 'prog'));
const fromCwd = relative(process.cwd(), join(root, 'prog'));

describe('findProgram with empty PATH entries', () => {
  it('the probe is an executable that the working directory reaches', () => {
    expect(fromCwd).not.toMatch(/^\//);
    expect(isExecutableFile(fromCwd)).toBe(true);
  });

  it.each([
    ['an empty PATH', ''],
    ['only separators', '::'],
    ['an empty entry before a directory', `:${elsewhere}`],
    ['an empty entry after a directory', `${elsewhere}:`],
    ['no PATH at all', undefined],
  ])('%s: not found (exit 127), the working directory not searched', (_what, path) => {
    expect(failureOf(() => findProgram([fromCwd], undefined, path))).toEqual({
      exitCode: 127,
      message: `program not found: looked for ${fromCwd} on PATH`,
      hint: "run in a PipeCD image, or set PIPECD_BINARY to the program's path",
    });
  });
});
