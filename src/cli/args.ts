import { parseArgs } from 'node:util';
import type { RoleName } from '../domain.js';
import { isRoleName } from '../roles/index.js';
import { usageError } from '../errors.js';
import { INPUT_FLAGS } from '../inputs/catalog.js';
import { SETTING_FLAGS } from '../inputs/settings.js';
import { pathOrValue } from '../inputs/reference-or-value.js';

export type Invocation =
  | { readonly command: 'help' }
  | { readonly command: 'version' }
  | {
      readonly command: 'run' | 'render' | 'write';
      readonly role: RoleName;
      /** Flags as given, by long name without the dashes. */
      readonly flags: Readonly<Record<string, string>>;
      readonly passThrough: readonly string[];
    };

/**
 * The value of `--name VALUE` or `--name=VALUE` in `args`, read before (or without) the full parse:
 * the log encoding must be known to report a bad command line, and the snapshot reads Node's own
 * execArgv. Words after `--` belong to the program (`server -- --log-encoding=humanize` is pipecd's flag).
 */
export function flagValue(args: readonly string[], name: string): string | undefined {
  const end = args.indexOf('--');
  const own = end < 0 ? args : args.slice(0, end);
  const i = own.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  const arg = own[i]!;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : own[i + 1];
}

/** Flags that take a value; none of them ever takes a secret value, only where to find one. */
const VALUE_FLAGS: readonly string[] = [...INPUT_FLAGS, ...SETTING_FLAGS];

const OPTIONS = {
  ...Object.fromEntries(VALUE_FLAGS.map((name) => [name, { type: 'string' as const }])),
  help: { type: 'boolean' as const, short: 'h' },
  version: { type: 'boolean' as const },
};

/**
 * `pipecd-bootstrap [render|write] [ROLE] [options] [-- args for the program]`; without ROLE on the
 * command line, `defaultRole` (PIPECD_BOOTSTRAP_ROLE, which an image can set) is the role.
 */
export function parseInvocation(argv: readonly string[], defaultRole?: string): Invocation {
  // App Runner's StartCommand replaces the image's CMD, not its ENTRYPOINT: a StartCommand written
  // as `pipecd-bootstrap piped ...` arrives here with our own name first.
  if (argv[0] === 'pipecd-bootstrap') argv = argv.slice(1);
  const split = argv.indexOf('--');
  const own = split < 0 ? argv : argv.slice(0, split);
  const passThrough = split < 0 ? [] : argv.slice(split + 1);
  let parsed;
  try {
    parsed = parseArgs({ args: [...own], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs names the flag as typed (never its value); a "flag" that is not a word is not quoted.
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    const flag = /'(-[^' ]*)/.exec(message)?.[1] ?? '';
    const quotable = /^--?[A-Za-z][A-Za-z0-9-]{0,48}$/.test(flag) && pathOrValue(flag).ok;
    throw usageError(
      quotable ? message : 'an unknown or incomplete option, not shown: it does not look like an option name',
      'run pipecd-bootstrap --help',
    );
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  const command = positionals[0] === 'render' || positionals[0] === 'write' ? positionals[0] : 'run';
  const roleArgs = command === 'run' ? positionals : positionals.slice(1);
  const [role = defaultRole || undefined, ...extra] = roleArgs;
  if (role === undefined)
    throw usageError('no role given: expected one of server, ops, gateway, piped, launcher', 'run pipecd-bootstrap --help');
  // Positionals are not echoed unless they look like a word: a mistyped command line can hold a secret.
  const shown = /^[a-z]{1,16}$/.test(role) ? ` "${role}"` : '';
  if (!isRoleName(role)) throw usageError(`unknown role${shown}: expected one of server, ops, gateway, piped, launcher`);
  if (extra.length > 0)
    throw usageError(`unexpected argument in position ${positionals.length - extra.length + 1}`, 'arguments for the program go after --');
  const flags: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) if (typeof value === 'string') flags[name] = value;
  return { command, role, flags, passThrough };
}
