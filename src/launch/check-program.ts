import { accessSync, closeSync, constants, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { arch, endianness } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { programNotExecutable, programNotFound } from '../errors.js';

/** ELF e_machine and class of the architectures Node runs on (elf.h). */
const MACHINES: Readonly<Record<string, { machine: number; bits: 32 | 64 }>> = {
  x64: { machine: 62, bits: 64 },
  arm64: { machine: 183, bits: 64 },
  ia32: { machine: 3, bits: 32 },
  arm: { machine: 40, bits: 32 },
  ppc64: { machine: 21, bits: 64 },
  s390x: { machine: 22, bits: 64 },
  riscv64: { machine: 243, bits: 64 },
  loong64: { machine: 258, bits: 64 },
};

const PT_INTERP = 3;
/** The kernel reads this much of a file to find its format and a `#!` line (BINPRM_BUF_SIZE). */
const HEAD = 256;
/** How deep the kernel follows interpreters of interpreters (BINPRM_MAX_RECURSION). */
const MAX_DEPTH = 4;

function readAt(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.alloc(length);
  const n = readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, n);
}

/** Where the kernel lists binfmt_misc entries (qemu-user and the like). */
export const BINFMT_MISC = '/proc/sys/fs/binfmt_misc';

/** Whether an enabled binfmt_misc entry claims a file by its leading bytes, as the kernel would match them. */
function claimedByBinfmtMisc(dir: string, head: Buffer): boolean {
  let names: string[];
  try {
    // `register` cannot be read and `status` holds no magic line: neither claims anything.
    names = readdirSync(dir);
  } catch {
    return false;
  }
  return names.some((name) => {
    let text: string;
    try {
      text = readFileSync(`${dir}/${name}`, 'latin1');
    } catch {
      return false;
    }
    // As fs/binfmt_misc.c prints an entry of the magic kind (the extension kind claims by file name).
    const entry = /^offset (\d+)\nmagic ([0-9a-f]+)(?:\nmask ([0-9a-f]+))?$/m.exec(text);
    if (!text.startsWith('enabled\n') || !entry) return false;
    const [, offset, magic, mask = 'ff'.repeat(magic!.length / 2)] = entry;
    const want = Buffer.from(magic!, 'hex');
    const bits = Buffer.from(mask, 'hex');
    // The kernel matches against its buffer of the file's first bytes, zero-filled past the end.
    return want.every((byte, i) => ((head[Number(offset) + i] ?? 0) & bits[i]!) === (byte & bits[i]!));
  });
}

interface Verdict {
  readonly problem: string;
  readonly missing: boolean;
}

function checkElf(binfmtMisc: string, shown: string, fd: number, head: Buffer): Verdict | undefined {
  const here = MACHINES[arch()];
  const bits = head[4] === 2 ? 64 : head[4] === 1 ? 32 : 0;
  const little = head[5] === 1;
  if (bits === 0 || (head[5] !== 1 && head[5] !== 2)) return { problem: `${shown}is a damaged ELF file`, missing: false };
  const u16 = (b: Buffer, at: number) => (little ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (b: Buffer, at: number) => (little ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const word = (b: Buffer, at: number) => (bits === 64 ? Number(little ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at)) : u32(b, at));
  const machine = u16(head, 18);
  if (here && (machine !== here.machine || bits !== here.bits || little !== (endianness() === 'LE'))) {
    return {
      problem: `${shown}is built for another architecture (ELF machine ${machine}, ${bits}-bit) than this ${arch()} machine`,
      missing: false,
    };
  }
  const phoff = word(head, bits === 64 ? 32 : 28);
  const phentsize = u16(head, bits === 64 ? 54 : 42);
  const phnum = u16(head, bits === 64 ? 56 : 44);
  const table = readAt(fd, phentsize * phnum, phoff);
  for (let i = 0; i < phnum; i++) {
    const entry = table.subarray(i * phentsize, (i + 1) * phentsize);
    if (entry.length < phentsize || u32(entry, 0) !== PT_INTERP) continue;
    const offset = word(entry, bits === 64 ? 8 : 4);
    const size = word(entry, bits === 64 ? 32 : 16);
    const interpreter = readAt(fd, Math.min(size, 4096), offset).toString('latin1').replace(/\0.*$/s, '');
    return checkFile(binfmtMisc, interpreter, 'its ELF interpreter', MAX_DEPTH);
  }
  return undefined;
}

function checkScript(binfmtMisc: string, head: Buffer, depth: number): Verdict | undefined {
  const line = head.subarray(2, head.includes(10) ? head.indexOf(10) : head.length).toString('latin1');
  const interpreter = line.trimStart().split(/[ \t]/)[0] ?? '';
  if (interpreter === '') return { problem: 'starts with #! but names no interpreter', missing: false };
  return checkFile(binfmtMisc, interpreter, 'its #! interpreter', depth - 1);
}

/** Whether execve could run `path`: format, architecture and interpreters, as the kernel checks them. */
function checkFile(binfmtMisc: string, path: string, what: string, depth: number): Verdict | undefined {
  const shown = what === '' ? '' : `${what} ${path} `;
  if (depth < 0) return { problem: `${shown}nests interpreters deeper than the kernel follows`, missing: false };
  let fd: number;
  try {
    if (!statSync(path).isFile()) return { problem: `${shown}is not a file`, missing: false };
    accessSync(path, constants.X_OK);
    fd = openSync(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: `${shown}${code === 'ENOENT' ? 'does not exist' : `cannot be run (${code})`}`, missing: code === 'ENOENT' };
  }
  try {
    const head = readAt(fd, HEAD, 0);
    if (head.subarray(0, 4).equals(Buffer.from('\x7fELF', 'latin1'))) {
      if (claimedByBinfmtMisc(binfmtMisc, head)) return undefined;
      return checkElf(binfmtMisc, shown, fd, head);
    }
    if (head[0] === 0x23 && head[1] === 0x21) return checkScript(binfmtMisc, head, depth);
    if (claimedByBinfmtMisc(binfmtMisc, head)) return undefined;
    return { problem: `${shown}is neither an ELF binary nor a script starting with #!`, missing: false };
  } finally {
    closeSync(fd);
  }
}

/**
 * A program execve cannot run makes Node's process.execve abort the process (exit 134, a native
 * stack, no log line). So before anything is written, the program is checked as the kernel would:
 * an ELF binary of this architecture whose interpreter (PT_INTERP) exists, or a `#!` script whose
 * interpreter can run in turn, or a file a binfmt_misc entry of `binfmtMisc` claims. A missing file
 * is 127, anything else that cannot run 126.
 */
export function assertRunnable(path: string, binfmtMisc = BINFMT_MISC): void {
  const verdict = checkFile(binfmtMisc, isAbsolute(path) ? path : resolve(path), '', MAX_DEPTH);
  if (!verdict) return;
  const message = `the program ${path}: ${verdict.problem}`;
  throw verdict.missing
    ? programNotFound(message, 'use an image built for this platform (a glibc binary needs glibc, not musl/alpine)')
    : programNotExecutable(message, 'use a program built for this architecture and platform, or a script with a #! line');
}
