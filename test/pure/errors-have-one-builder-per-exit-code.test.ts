import { describe, expect, it } from 'vitest';
import {
  BootstrapError,
  cantCreate,
  dataError,
  ExitCode,
  isBootstrapError,
  noPermission,
  notFound,
  programNotExecutable,
  programNotFound,
  unavailable,
  usageError,
} from '../../src/errors.js';

/** The exit codes are the documented interface (README, --help): sysexits.h where one fits. */
const CODES = [
  ['ok', 0],
  ['usage', 64],
  ['dataError', 65],
  ['unavailable', 69],
  ['software', 70],
  ['cantCreate', 73],
  ['noPermission', 77],
  ['notFound', 78],
  ['programNotExecutable', 126],
  ['programNotFound', 127],
] as const;

const BUILDERS = [
  ['usageError', usageError, 64],
  ['dataError', dataError, 65],
  ['unavailable', unavailable, 69],
  ['cantCreate', cantCreate, 73],
  ['noPermission', noPermission, 77],
  ['notFound', notFound, 78],
  ['programNotExecutable', programNotExecutable, 126],
  ['programNotFound', programNotFound, 127],
] as const;

describe('exit codes and the one way to build each error', () => {
  it('the table is exactly the documented codes', () => {
    expect(Object.entries(ExitCode)).toEqual(CODES.map(([name, code]) => [name, code]));
  });

  it.each(BUILDERS)('%s builds a BootstrapError with exit %i, the message and the hint', (_name, build, code) => {
    const error = build('ENCRYPTION_KEY: is empty', 'set it');
    expect(error).toBeInstanceOf(BootstrapError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('BootstrapError');
    expect(error.exitCode).toBe(code);
    expect(error.message).toBe('ENCRYPTION_KEY: is empty');
    expect(error.hint).toBe('set it');
    expect(build('no hint').hint).toBeUndefined();
  });

  it('recognises a BootstrapError by name and exit code, also one from another copy of the module', () => {
    expect(isBootstrapError(usageError('x'))).toBe(true);
    const copy = Object.assign(new Error('from the snapshot edge'), { name: 'BootstrapError', exitCode: 69 });
    expect(isBootstrapError(copy)).toBe(true);
  });

  it.each([
    ['a plain Error', new Error('x')],
    ['an Error of another name with an exit code', Object.assign(new Error('x'), { exitCode: 64 })],
    ['an Error named BootstrapError without an exit code', Object.assign(new Error('x'), { name: 'BootstrapError' })],
    ['an Error named BootstrapError with a text exit code', Object.assign(new Error('x'), { name: 'BootstrapError', exitCode: '64' })],
    ['a look-alike that is not an Error', { name: 'BootstrapError', exitCode: 64, message: 'x' }],
    ['undefined', undefined],
  ])('does not take %s for one', (_name, value) => {
    expect(isBootstrapError(value)).toBe(false);
  });
});
