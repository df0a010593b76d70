import { describe, expect, it } from 'vitest';
import { flagValue, parseInvocation } from '../../src/cli/args.js';
import { BootstrapError } from '../../src/errors.js';

/** The command line: `pipecd-bootstrap [render] [ROLE] [options] [-- args for the program]`. */
const ACCEPTED = [
  ['a role', ['server'], undefined, { command: 'run', role: 'server', flags: {}, passThrough: [] }],
  ['render and a role', ['render', 'gateway'], undefined, { command: 'render', role: 'gateway', flags: {}, passThrough: [] }],
  [
    'our own name first (App Runner StartCommand)',
    ['pipecd-bootstrap', 'piped'],
    undefined,
    { command: 'run', role: 'piped', flags: {}, passThrough: [] },
  ],
  ['the role from PIPECD_BOOTSTRAP_ROLE', [], 'launcher', { command: 'run', role: 'launcher', flags: {}, passThrough: [] }],
  [
    'render with the role from PIPECD_BOOTSTRAP_ROLE',
    ['render'],
    'piped',
    { command: 'render', role: 'piped', flags: {}, passThrough: [] },
  ],
  ['a role on the command line over PIPECD_BOOTSTRAP_ROLE', ['ops'], 'piped', { command: 'run', role: 'ops', flags: {}, passThrough: [] }],
  [
    'flags by long name, both spellings',
    ['server', '--encryption-key-file=/k', '--datastore-host', 'db'],
    undefined,
    { command: 'run', role: 'server', flags: { 'encryption-key-file': '/k', 'datastore-host': 'db' }, passThrough: [] },
  ],
  [
    'arguments after -- for the program, untouched',
    ['gateway', '--', '--log-level', 'debug', '--', 'x'],
    undefined,
    { command: 'run', role: 'gateway', flags: {}, passThrough: ['--log-level', 'debug', '--', 'x'] },
  ],
  [
    'our own name only in first place',
    ['piped', '--', 'pipecd-bootstrap'],
    undefined,
    { command: 'run', role: 'piped', flags: {}, passThrough: ['pipecd-bootstrap'] },
  ],
] as const;

const STARTING_WITH_SEPARATOR = parseInvocation(['--', 'gateway'], 'piped');

const REFUSED = [
  ['no role', [], undefined, 'no role given: expected one of server, ops, gateway, piped, launcher', 'run pipecd-bootstrap --help'],
  [
    'an empty PIPECD_BOOTSTRAP_ROLE',
    [],
    '',
    'no role given: expected one of server, ops, gateway, piped, launcher',
    'run pipecd-bootstrap --help',
  ],
  [
    'an unknown role, echoed as typed',
    ['serve'],
    undefined,
    'unknown role "serve": expected one of server, ops, gateway, piped, launcher',
    undefined,
  ],
  [
    'an unknown role from the environment',
    [],
    'pipe',
    'unknown role "pipe": expected one of server, ops, gateway, piped, launcher',
    undefined,
  ],
  [
    'a role that is not a word is not echoed',
    ['Server'],
    undefined,
    'unknown role: expected one of server, ops, gateway, piped, launcher',
    undefined,
  ],
  [
    'a secret-looking role is not echoed',
    ['s3cr3t-value'],
    undefined,
    'unknown role: expected one of server, ops, gateway, piped, launcher',
    undefined,
  ],
  [
    'a role of 17 letters is not echoed',
    ['abcdefghijklmnopq'],
    undefined,
    'unknown role: expected one of server, ops, gateway, piped, launcher',
    undefined,
  ],
  [
    'a role of 16 letters is echoed',
    ['abcdefghijklmnop'],
    undefined,
    'unknown role "abcdefghijklmnop": expected one of server, ops, gateway, piped, launcher',
    undefined,
  ],
  [
    'an inherited property name is no role',
    ['constructor'],
    undefined,
    'unknown role "constructor": expected one of server, ops, gateway, piped, launcher',
    undefined,
  ],
  ['a second word', ['server', 'extra'], undefined, 'unexpected argument in position 2', 'arguments for the program go after --'],
  [
    'a second word after render',
    ['render', 'server', 'extra'],
    undefined,
    'unexpected argument in position 3',
    'arguments for the program go after --',
  ],
  ['a third word', ['server', 'a', 'b'], undefined, 'unexpected argument in position 2', 'arguments for the program go after --'],
  // Node's own words, cut at the first line; the rest of its sentence names the script, which differs by how Node runs.
  ['an unknown flag', ['server', '--nope'], undefined, /^Unknown option '--nope'\. /, 'run pipecd-bootstrap --help'],
  [
    'a value flag without its value',
    ['server', '--encryption-key-file'],
    undefined,
    "Option '--encryption-key-file <value>' argument missing",
    'run pipecd-bootstrap --help',
  ],
] as const;

describe('parseInvocation', () => {
  it.each(ACCEPTED)('takes %s', (_name, argv, defaultRole, expected) => {
    expect(parseInvocation(argv, defaultRole)).toEqual(expected);
  });

  it('a command line that starts with -- is all for the program, the role from PIPECD_BOOTSTRAP_ROLE', () => {
    expect(STARTING_WITH_SEPARATOR).toEqual({ command: 'run', role: 'piped', flags: {}, passThrough: ['gateway'] });
  });

  it.each([
    ['--help', ['--help']],
    ['-h', ['-h']],
    ['--help after a role', ['server', '--help']],
    ['--help before --version', ['--version', '--help']],
  ])('%s is help', (_name, argv) => {
    expect(parseInvocation(argv)).toEqual({ command: 'help' });
  });

  it('--version is version, also without a role', () => {
    expect(parseInvocation(['--version'])).toEqual({ command: 'version' });
    expect(parseInvocation(['gateway', '--version'])).toEqual({ command: 'version' });
  });

  it.each(REFUSED)('refuses %s as a usage error', (_name, argv, defaultRole, message, hint) => {
    let caught: unknown;
    try {
      parseInvocation(argv, defaultRole);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BootstrapError);
    const error = caught as BootstrapError;
    expect([error.exitCode, error.hint]).toEqual([64, hint]);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });
});

const FLAG_VALUES = [
  ['--name=value', ['--log-encoding=humanize'], 'humanize'],
  ['--name value', ['--log-encoding', 'humanize'], 'humanize'],
  ['the first of two', ['--log-encoding=json', '--log-encoding=humanize'], 'json'],
  ['a value holding =', ['x', '--log-encoding=a=b'], 'a=b'],
  ['missing', ['--other=x'], undefined],
  ['a flag that only starts with the name', ['--log-encodingx=1'], undefined],
  ['the name at the end, without a value', ['--log-encoding'], undefined],
  ['an empty value', ['--log-encoding='], ''],
  ["after --, the program's flag", ['server', '--', '--log-encoding=humanize'], undefined],
  ['before --, ours', ['--log-encoding=json', '--', '--log-encoding=humanize'], 'json'],
  ['the value cannot be the -- itself', ['--log-encoding', '--', 'humanize'], undefined],
] as const;

describe('flagValue', () => {
  it.each(FLAG_VALUES)('%s', (_name, args, expected) => {
    expect(flagValue(args, '--log-encoding')).toBe(expected);
  });
});

describe('flagValue when the command line starts with --', () => {
  it('everything is for the program, even a flag of ours', () => {
    expect(flagValue(['--', '--log-encoding=humanize'], '--log-encoding')).toBeUndefined();
    expect(flagValue(['--', '--log-encoding', 'humanize'], '--log-encoding')).toBeUndefined();
  });
});

/** parseArgs's message names a flag as typed; it is quoted only when it looks like an option name (letters, digits, dashes). */
const HIDDEN = 'an unknown or incomplete option, not shown: it does not look like an option name';
describe('an unknown flag in the usage error', () => {
  it.each([
    ['a single-dash letter is quoted', ['server', '-x'], /^Unknown option '-x'\. /],
    ['a double-dash word with digits and dashes is quoted', ['server', '--no-such-flag2'], /^Unknown option '--no-such-flag2'\. /],
    ['three dashes are not shown', ['server', '---abc'], HIDDEN],
    ['a dot is not shown', ['server', '--abc.def'], HIDDEN],
    ['a digit first is not shown', ['server', '-1'], HIDDEN],
    ['a name of 51 characters is not shown', ['server', `--a${'b'.repeat(49)}`], HIDDEN],
    ['a random-looking name is not shown', ['server', '--Xq7Lm2Pz9Rt4Vw8Ks3'], HIDDEN],
  ] as const)('%s', (_name, argv, message) => {
    let caught: unknown;
    try {
      parseInvocation(argv);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BootstrapError);
    const error = caught as BootstrapError;
    expect([error.exitCode, error.hint]).toEqual([64, 'run pipecd-bootstrap --help']);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
  });
});
