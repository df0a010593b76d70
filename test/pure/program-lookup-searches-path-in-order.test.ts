import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProgram } from '../../src/launch/find-program.js';
import { described, failure } from './support/render.js';

/** Real files: a real executable (a copy of /bin/true), a file without the execute bit, a directory. */
const root = mkdtempSync(join(tmpdir(), 'find-program-'));
const dir = (name: string) => {
  const path = join(root, name);
  mkdirSync(path, { recursive: true });
  return path;
};
const executable = (path: string) => copyFileSync('/bin/true', path);
const plain = (path: string) => {
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o644);
};

const first = dir('first');
const second = dir('second');
executable(join(second, 'pipecd'));
plain(join(first, 'pipecd'));
executable(join(first, 'controlplane-old'));
executable(join(second, 'controlplane'));
mkdirSync(join(first, 'envoy'));
executable(join(second, 'envoy'));
const NOT_FOUND_HINT = "run in a PipeCD image, or set PIPECD_BINARY to the program's path";

describe('findProgram', () => {
  it('skips a file without the execute bit in an earlier PATH directory', () => {
    expect(findProgram(['pipecd'], undefined, `${first}:${second}`)).toBe(join(second, 'pipecd'));
  });

  it('skips a directory of the same name', () => {
    expect(findProgram(['envoy'], undefined, `${first}:${second}`)).toBe(join(second, 'envoy'));
  });

  it('tries the names in order, each across the whole PATH', () => {
    expect(findProgram(['controlplane', 'pipecd'], undefined, `${first}:${second}`)).toBe(join(second, 'controlplane'));
    expect(findProgram(['nope', 'pipecd'], undefined, `${second}`)).toBe(join(second, 'pipecd'));
  });

  it('ignores empty PATH entries and makes a relative PATH entry absolute', () => {
    expect(findProgram(['pipecd'], undefined, `::${relative(process.cwd(), second)}:`)).toBe(join(second, 'pipecd'));
  });

  it('PIPECD_BINARY as a name is looked up on PATH instead of the role programs', () => {
    expect(findProgram(['pipecd'], 'controlplane', `${first}:${second}`)).toBe(join(second, 'controlplane'));
  });

  it('PIPECD_BINARY as a path is used as it is, absolute or relative to the working directory', () => {
    expect(findProgram(['x'], join(second, 'pipecd'), undefined)).toBe(join(second, 'pipecd'));
    expect(findProgram(['x'], relative(process.cwd(), join(second, 'pipecd')), undefined)).toBe(join(second, 'pipecd'));
  });

  it.each([
    [
      'a file without the execute bit',
      () => join(first, 'pipecd'),
      126,
      'is not an executable file',
      'check the image: the file needs the execute bit',
    ],
    ['a directory', () => join(first, 'envoy'), 126, 'is not an executable file', 'check the image: the file needs the execute bit'],
    ['a path that does not exist', () => join(first, 'missing'), 127, 'does not exist', 'check the path of the program in the image'],
  ])('PIPECD_BINARY naming %s is refused', (_what, path, exitCode, why, hint) => {
    expect(described(failure(() => findProgram(['pipecd'], path(), second)))).toEqual({
      exitCode,
      message: `PIPECD_BINARY ${path()} ${why}`,
      hint,
    });
  });

  it.each([
    ['not on PATH', ['controlplane', 'pipecd'], undefined, first, 'program not found: looked for controlplane, pipecd on PATH'],
    ['no PATH at all', ['envoy'], undefined, undefined, 'program not found: looked for envoy on PATH'],
    ['an empty PATH', ['envoy'], undefined, '', 'program not found: looked for envoy on PATH'],
    ['PIPECD_BINARY as a name not on PATH', ['pipecd'], 'pipecd-v2', second, 'program not found: looked for pipecd-v2 on PATH'],
  ])('%s is exit 127', (_what, names, binary, path, message) => {
    expect(described(failure(() => findProgram(names, binary, path)))).toEqual({ exitCode: 127, message, hint: NOT_FOUND_HINT });
  });
});
