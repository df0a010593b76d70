import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BootstrapError } from '../../src/errors.js';
import { assertRunnable } from '../../src/launch/check-program.js';
import { IMAGE_TINI_PATHS, startUnderReaper, withReaper } from '../../src/launch/reaper.js';
import { createLogger } from '../../src/log.js';
import { capture } from './capture.js';
import { ROLES } from '../../src/roles/index.js';
import { asFailure } from '../helpers/failure.js';

/**
 * The check that execve could run the program, in-process on real files: this machine's own ELF
 * binaries (dynamic and static), copies of them with one field changed as another architecture or a
 * damaged file would have it, and scripts with #! chains. (test/unrunnable-program.test.ts runs the
 * same cases through the bundle and the kernel.)
 */
const dir = mkdtempSync(join(tmpdir(), 'program-checks-'));
const LOADER = '/lib64/ld-linux-x86-64.so.2';
const onX64 = process.arch === 'x64';

function place(name: string, contents: string | Buffer, mode = 0o755): string {
  const path = join(dir, name);
  writeFileSync(path, contents);
  chmodSync(path, mode);
  return path;
}
/** /bin/true with some bytes replaced. */
function patched(name: string, edit: (b: Buffer) => void): string {
  const bytes = readFileSync('/bin/true');
  edit(bytes);
  return place(name, bytes);
}
function verdict(path: string) {
  try {
    assertRunnable(path);
    return 'runs';
  } catch (error) {
    return asFailure(error);
  }
}
const NOT_EXECUTABLE_HINT = 'use a program built for this architecture and platform, or a script with a #! line';
const NOT_FOUND_HINT = 'use an image built for this platform (a glibc binary needs glibc, not musl/alpine)';
const cannot = (path: string, problem: string) => ({
  exitCode: 126,
  message: `the program ${path}: ${problem}`,
  hint: NOT_EXECUTABLE_HINT,
});
const missing = (path: string, problem: string) => ({ exitCode: 127, message: `the program ${path}: ${problem}`, hint: NOT_FOUND_HINT });

describe('assertRunnable', () => {
  it('a dynamic ELF binary of this machine, a static one, and a script of sh run', () => {
    expect(verdict('/bin/true')).toBe('runs');
    expect(verdict('/bin/busybox')).toBe('runs');
    expect(verdict(place('script', '#!/bin/sh\nexit 0\n'))).toBe('runs');
    expect(verdict(place('spaced', '#!  /bin/sh -e\nexit 0\n'))).toBe('runs');
    expect(verdict(place('tabbed', '#!/bin/sh\t-e'))).toBe('runs');
  });

  it('a relative path is checked from the working directory', () => {
    const path = place('relative', '#!/bin/sh\n');
    expect(verdict(relative(process.cwd(), path))).toBe('runs');
    const gone = relative(process.cwd(), join(dir, 'nothing-here'));
    expect(verdict(gone)).toEqual(missing(gone, 'does not exist'));
  });

  it('what is not a runnable file: missing (127), a directory, no x bit, neither ELF nor #! (126)', () => {
    expect(verdict(join(dir, 'absent'))).toEqual(missing(join(dir, 'absent'), 'does not exist'));
    mkdirSync(join(dir, 'a-dir'));
    expect(verdict(join(dir, 'a-dir'))).toEqual(cannot(join(dir, 'a-dir'), 'is not a file'));
    const plain = place('not-executable', '#!/bin/sh\n', 0o644);
    expect(verdict(plain)).toEqual(cannot(plain, 'cannot be run (EACCES)'));
    const text = place('text', 'echo hello\n');
    expect(verdict(text)).toEqual(cannot(text, 'is neither an ELF binary nor a script starting with #!'));
    const empty = place('empty', '');
    expect(verdict(empty)).toEqual(cannot(empty, 'is neither an ELF binary nor a script starting with #!'));
  });

  it('scripts: no interpreter named, a missing interpreter (127), a chain deeper than the kernel follows', () => {
    const none = place('no-interpreter', '#!   \nexit 0\n');
    expect(verdict(none)).toEqual(cannot(none, 'starts with #! but names no interpreter'));
    const bare = place('bare', '#!');
    expect(verdict(bare)).toEqual(cannot(bare, 'starts with #! but names no interpreter'));
    const lost = place('lost', '#!/nonexistent/interpreter -x\n');
    expect(verdict(lost)).toEqual(missing(lost, 'its #! interpreter /nonexistent/interpreter does not exist'));
    const text = place('text-interp', 'just text\n');
    const viaText = place('via-text', `#!${text}\n`);
    expect(verdict(viaText)).toEqual(cannot(viaText, `its #! interpreter ${text} is neither an ELF binary nor a script starting with #!`));
    // The kernel follows four levels of #! (BINPRM_MAX_RECURSION): a script run through four scripts runs, through five it does not.
    let chain = '/bin/sh';
    const levels: string[] = [];
    for (let i = 0; i < 6; i++) {
      chain = place(`level-${i}`, `#!${chain}\n`);
      levels.push(chain);
    }
    expect(verdict(levels[3]!)).toBe('runs');
    expect(verdict(levels[4]!)).toEqual(cannot(levels[4]!, `its #! interpreter /bin/sh nests interpreters deeper than the kernel follows`));
  });

  it.skipIf(!onX64)('ELF files that cannot run here: another machine, another class, another byte order, damaged (126)', () => {
    const arm = patched('arm64', (b) => b.writeUInt16LE(183, 18));
    expect(verdict(arm)).toEqual(cannot(arm, 'is built for another architecture (ELF machine 183, 64-bit) than this x64 machine'));
    const bits32 = patched('class32', (b) => (b[4] = 1));
    expect(verdict(bits32)).toEqual(cannot(bits32, 'is built for another architecture (ELF machine 62, 32-bit) than this x64 machine'));
    const big = patched('big-endian', (b) => (b[5] = 2));
    expect(verdict(big)).toEqual(cannot(big, 'is built for another architecture (ELF machine 15872, 64-bit) than this x64 machine'));
    for (const [name, at, value] of [
      ['class0', 4, 0],
      ['class3', 4, 3],
      ['order0', 5, 0],
      ['order3', 5, 3],
    ] as const) {
      const damaged = patched(name, (b) => (b[at] = value));
      expect(verdict(damaged)).toEqual(cannot(damaged, 'is a damaged ELF file'));
    }
  });

  it.skipIf(!onX64)('an ELF binary whose interpreter is missing (a glibc binary on musl): 127, naming the interpreter', () => {
    const other = patched('other-loader', (b) => {
      const at = b.indexOf(LOADER);
      b.write('/lib64/ld-linux-x86-64.so.9', at, 'latin1');
    });
    expect(verdict(other)).toEqual(missing(other, 'its ELF interpreter /lib64/ld-linux-x86-64.so.9 does not exist'));
  });
});

/**
 * binfmt_misc: this machine has no entries, and registering one would change the shared kernel, so
 * the entries are files in the kernel's own format (fs/binfmt_misc.c, entry_status()) in a directory
 * given in place of /proc/sys/fs/binfmt_misc. qemu-user-static's aarch64 entry is the model.
 */
describe.skipIf(!onX64)('assertRunnable with binfmt_misc entries', () => {
  const QEMU_AARCH64 = {
    magic: '7f454c460201010000000000000000000200b700',
    mask: 'ffffffffffffff00fffffffffffffffffeffffff',
  };
  function entries(name: string, list: Record<string, string>): string {
    const at = join(dir, name);
    mkdirSync(at);
    for (const [file, text] of Object.entries(list)) writeFileSync(join(at, file), text);
    return at;
  }
  const entry = (state: 'enabled' | 'disabled', offset: number, magic: string, mask?: string) =>
    `${state}\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: POCF\noffset ${offset}\nmagic ${magic}\n` +
    (mask === undefined ? '' : `mask ${mask}\n`);
  // An aarch64 binary whose OS ABI byte (7) and type (16) differ from the magic: the mask lets both through.
  const aarch64 = () =>
    patched(`aarch64-${Math.random().toString(36).slice(2)}`, (b) => {
      b.writeUInt16LE(183, 18);
      b[7] = 3;
      b.writeUInt16LE(3, 16);
    });

  it("an ELF binary of another machine that qemu-user claims runs; the kernel's status and register files claim nothing", () => {
    const claimed = entries('binfmt-qemu', {
      status: 'enabled\n',
      register: '',
      'qemu-aarch64': entry('enabled', 0, QEMU_AARCH64.magic, QEMU_AARCH64.mask),
    });
    expect(() => assertRunnable(aarch64(), claimed)).not.toThrow();
    const x64 = patched('x64-under-qemu-dir', () => {});
    expect(verdict(x64)).toBe('runs');
    expect(() => assertRunnable(x64, claimed)).not.toThrow();
  });

  it('a disabled entry, an entry whose masked bytes differ, an entry of the extension kind: refused as without them', () => {
    const arm = aarch64();
    const refused = cannot(arm, 'is built for another architecture (ELF machine 183, 64-bit) than this x64 machine');
    const attempt = (binfmtMisc: string) => {
      try {
        assertRunnable(arm, binfmtMisc);
        return 'runs';
      } catch (error) {
        if (!(error instanceof BootstrapError)) throw error;
        return { exitCode: error.exitCode, message: error.message, hint: error.hint };
      }
    };
    expect(attempt(entries('binfmt-disabled', { q: entry('disabled', 0, QEMU_AARCH64.magic, QEMU_AARCH64.mask) }))).toEqual(refused);
    // Without the mask, byte 7 (3 here, 0 in the magic) must match too.
    expect(attempt(entries('binfmt-unmasked', { q: entry('enabled', 0, QEMU_AARCH64.magic) }))).toEqual(refused);
    // The mask keeps the type byte's low bit only out of the comparison: type 0x0b is not 0x02 or 0x03.
    const other = patched('aarch64-type-11', (b) => {
      b.writeUInt16LE(183, 18);
      b.writeUInt16LE(0x0b, 16);
    });
    expect(() =>
      assertRunnable(other, entries('binfmt-masked', { q: entry('enabled', 0, QEMU_AARCH64.magic, QEMU_AARCH64.mask) })),
    ).toThrow(`the program ${other}: is built for another architecture`);
    expect(attempt(entries('binfmt-extension', { mono: 'enabled\ninterpreter /usr/bin/mono\nflags: \nextension .exe\n' }))).toEqual(
      refused,
    );
    expect(attempt(join(dir, 'no-such-binfmt-dir'))).toEqual(refused);
  });

  it('a file that is neither ELF nor #! runs when an entry claims it: magic at an offset, and past the end of a short file the bytes are zeros', () => {
    const wasm = place('module.wasm', Buffer.from('0061736d01000000', 'hex'));
    const mz = place('program.exe', 'MZ');
    const text = cannot(wasm, 'is neither an ELF binary nor a script starting with #!');
    expect(verdict(wasm)).toEqual(text);
    const wasmDir = entries('binfmt-wasm', { wasm: entry('enabled', 1, '61736d', undefined) });
    expect(() => assertRunnable(wasm, wasmDir)).not.toThrow();
    expect(() => assertRunnable(mz, wasmDir)).toThrow(`the program ${mz}: is neither an ELF binary nor a script starting with #!`);
    expect(() => assertRunnable(wasm, entries('binfmt-wasm-0', { wasm: entry('enabled', 0, '61736d') }))).toThrow(
      `the program ${wasm}: is neither`,
    );
    // "MZ" then the kernel's zero fill: a magic of 4d5a0000 claims it, 4d5a0001 does not.
    expect(() => assertRunnable(mz, entries('binfmt-mz', { mz: entry('enabled', 0, '4d5a0000') }))).not.toThrow();
    expect(() => assertRunnable(mz, entries('binfmt-mz-1', { mz: entry('enabled', 0, '4d5a0001') }))).toThrow(
      `the program ${mz}: is neither`,
    );
  });

  it('the interpreter of a script is checked against the entries too, and named when it cannot run', () => {
    const damaged = patched('damaged-interpreter', (b) => (b[4] = 0));
    const viaDamaged = place('via-damaged', `#!${damaged}\n`);
    expect(verdict(viaDamaged)).toEqual(cannot(viaDamaged, `its #! interpreter ${damaged} is a damaged ELF file`));
    const arm = aarch64();
    const script = place('arm-script', `#!${arm}\n`);
    expect(verdict(script)).toEqual(
      cannot(script, `its #! interpreter ${arm} is built for another architecture (ELF machine 183, 64-bit) than this x64 machine`),
    );
    expect(() =>
      assertRunnable(script, entries('binfmt-script', { q: entry('enabled', 0, QEMU_AARCH64.magic, QEMU_AARCH64.mask) })),
    ).not.toThrow();
  });

  it("the kernel's own directory is the default", async () => {
    const { BINFMT_MISC } = await import('../../src/launch/check-program.js');
    expect(BINFMT_MISC).toBe('/proc/sys/fs/binfmt_misc');
  });
});

describe('withReaper and startUnderReaper (PID 1)', () => {
  const program = { path: '/usr/local/bin/piped', args: ['piped', '--config-file=/x'], env: { A: 'b' } };
  const underTini = (tini: string) => ({
    kind: 'tini',
    tini,
    program: { path: tini, args: ['-s', '--', '/usr/local/bin/piped', 'piped', '--config-file=/x'], env: { A: 'b' } },
  });
  /** Directories with a tini in them (an executable file, or something that is not one). */
  const tiniIn = (name: string, mode = 0o755, kind: 'file' | 'dir' = 'file') => {
    const at = join(dir, name);
    mkdirSync(at, { recursive: true });
    if (kind === 'dir') mkdirSync(join(at, 'tini'), { recursive: true });
    else place(join(name, 'tini'), '#!/bin/sh\n', mode);
    return at;
  };
  const image = tiniIn('image/sbin');
  const other = tiniIn('image/usr/bin');
  const onPath = tiniIn('path/bin');
  const notExecutable = tiniIn('path/noexec', 0o644);
  const aDirectory = tiniIn('path/dir', 0o755, 'dir');
  const none = join(dir, 'image/none');
  const host = (pid: number, path: string | undefined, tiniPaths: readonly string[]) => ({ pid, path, tiniPaths });

  it('not PID 1, or a program that starts no children: started as it is', () => {
    expect(ROLES.server.startsChildren).toBe(false);
    expect(withReaper(ROLES.piped, program, host(2, onPath, [join(image, 'tini')]))).toEqual({ kind: 'none', program });
    expect(withReaper(ROLES.server, program, host(1, onPath, [join(image, 'tini')]))).toEqual({ kind: 'none', program });
  });

  it("PID 1 and a program that starts children: under the image's tini as a subreaper, the image's paths in their order before PATH", () => {
    expect(ROLES.piped.startsChildren).toBe(true);
    const both = [join(image, 'tini'), join(other, 'tini')];
    expect(withReaper(ROLES.piped, program, host(1, onPath, both))).toEqual(underTini(join(image, 'tini')));
    expect(withReaper(ROLES.piped, program, host(1, onPath, [join(none, 'tini'), join(other, 'tini')]))).toEqual(
      underTini(join(other, 'tini')),
    );
  });

  it("no tini in the image's paths: the first on PATH that is an executable file, absolute directories only", () => {
    const missing = [join(none, 'tini')];
    const path = [relative(process.cwd(), onPath), notExecutable, aDirectory, none, onPath, other].join(':');
    expect(withReaper(ROLES.piped, program, host(1, path, missing))).toEqual(underTini(join(onPath, 'tini')));
    expect(withReaper(ROLES.piped, program, host(1, relative(process.cwd(), onPath), missing))).toEqual({ kind: 'missing', program });
    expect(withReaper(ROLES.piped, program, host(1, undefined, missing))).toEqual({ kind: 'missing', program });
    expect(withReaper(ROLES.piped, program, host(1, '', missing))).toEqual({ kind: 'missing', program });
  });

  it('startUnderReaper: the program as it will start, and a line whenever PID 1 changed how', () => {
    const cap = capture();
    try {
      const log = createLogger('json');
      expect(startUnderReaper(ROLES.piped, program, host(2, onPath, []), log)).toBe(program);
      expect(startUnderReaper(ROLES.piped, program, host(1, onPath, [join(image, 'tini')]), log)).toEqual(
        underTini(join(image, 'tini')).program,
      );
      expect(startUnderReaper(ROLES.piped, program, host(1, undefined, [join(none, 'tini'), '/nowhere/tini']), log)).toBe(program);
      expect(cap.lines().map(({ time: _t, ...line }) => line)).toEqual([
        {
          level: 'info',
          logger: 'pipecd-bootstrap',
          tini: join(image, 'tini'),
          msg: 'PID 1 with no init: starting piped under tini, which reaps the orphans of its child processes',
        },
        {
          level: 'warn',
          logger: 'pipecd-bootstrap',
          hint: 'set "initProcessEnabled": true in the ECS container definition, keep the image ENTRYPOINT (tini), or add tini to the image',
          msg: `PID 1 with no init and no tini (looked in ${join(none, 'tini')}, /nowhere/tini and PATH): the orphans of piped's child processes will stay zombies`,
        },
      ]);
    } finally {
      cap.restore();
    }
  });

  it("the images' own places for tini: alpine's /sbin/tini, then Debian's /usr/bin/tini", () => {
    expect(IMAGE_TINI_PATHS).toEqual(['/sbin/tini', '/usr/bin/tini']);
  });
});
