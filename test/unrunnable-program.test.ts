import { chmodSync, copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorLine, fixture, makeSandbox, MODES, start, type Sandbox } from './helpers/bundle.js';
import { observe } from './helpers/reliability.js';

/**
 * The rule: a program execve cannot run is found out before anything is written, and ends the
 * start with 126 (cannot run) or 127 (it, or its interpreter, is missing) and one JSON line. Node 22's
 * process.execve used to abort instead (exit 134, a native stack, no JSON line, files written).
 */
const REAL_ELF = '/bin/true';
const INTERP = '/lib64/ld-linux-x86-64.so.2';

/** Writes `bytes` as an executable file in the sandbox. */
function program(sandbox: Sandbox, name: string, bytes: Buffer | string, mode = 0o755): string {
  const path = join(sandbox.root, name);
  writeFileSync(path, bytes);
  chmodSync(path, mode);
  return path;
}

/** A copy of a real binary with its ELF e_machine set to AArch64 (183). */
function otherArchitecture(sandbox: Sandbox): string {
  const elf = readFileSync(REAL_ELF);
  elf.writeUInt16LE(183, 18);
  return program(sandbox, 'arm64-binary', elf);
}

/** A copy of a real binary whose PT_INTERP names a loader that does not exist (a glibc binary on alpine). */
function missingInterpreter(sandbox: Sandbox): string {
  const elf = readFileSync(REAL_ELF);
  const at = elf.indexOf(INTERP);
  if (at < 0) throw new Error(`${REAL_ELF} has no ${INTERP}`);
  elf.write('/lib64/ld-musl-absent.so.1\0', at, 'latin1');
  return program(sandbox, 'glibc-binary', elf);
}

const CASES = [
  {
    name: 'a script without #!',
    code: 126,
    make: (s: Sandbox) => program(s, 'no-shebang', 'echo hello\n'),
    says: /neither an ELF binary nor a script/,
  },
  {
    name: 'an ELF binary of another architecture',
    code: 126,
    make: otherArchitecture,
    says: /another architecture \(ELF machine 183, 64-bit\)/,
  },
  {
    name: 'an ELF binary whose interpreter is missing',
    code: 127,
    make: missingInterpreter,
    says: /its ELF interpreter \/lib64\/ld-musl-absent.so.1 does not exist/,
  },
  {
    name: 'a script whose #! interpreter is missing',
    code: 127,
    make: (s: Sandbox) => program(s, 'bad-shebang', '#!/nonexistent/sh\necho\n'),
    says: /its #! interpreter \/nonexistent\/sh does not exist/,
  },
  {
    name: 'a script whose #! interpreter cannot run',
    code: 126,
    make: (s: Sandbox) => program(s, 'script', `#!${program(s, 'not-executable-interpreter', '#!/bin/sh\n', 0o644)}\n`),
    says: /its #! interpreter .* cannot be run \(EACCES\)/,
  },
];

describe.each(MODES)('$mode: a program that cannot run', ({ mode, node }) => {
  it.each(CASES)(`$name: exit $code with one JSON line, nothing written`, async ({ name, code, make, says }) => {
    const sandbox = makeSandbox();
    const path = make(sandbox);
    const r = await start({ node, sandbox, args: ['gateway'], env: { ENVOY_CONFIG: fixture('envoy-ecs-demo.yaml'), PIPECD_BINARY: path } });
    const json = r.stderr
      .split('\n')
      .filter(Boolean)
      .every((l) => l.startsWith('{'));
    observe(
      'signals and exit codes',
      `${mode}: ${name}`,
      `exit ${code}, one JSON error line, nothing written`,
      `exit ${r.code ?? r.signal}; ${json ? 'all lines JSON' : 'NOT JSON'}; ${existsSync(sandbox.out) ? 'files WRITTEN' : 'nothing written'}`,
    );
    expect(r.code).toBe(code);
    expect(json).toBe(true);
    expect(errorLine(r)!.msg).toMatch(says);
    expect(errorLine(r)!.exitCode).toBe(code);
    expect(existsSync(sandbox.out)).toBe(false);
  });

  it('a real binary and a #! script through env still run', async () => {
    const sandbox = makeSandbox([]);
    const copy = join(sandbox.root, 'true');
    copyFileSync(REAL_ELF, copy);
    chmodSync(copy, 0o755);
    const elf = await start({
      node,
      sandbox,
      args: ['gateway'],
      env: { ENVOY_CONFIG: fixture('envoy-ecs-demo.yaml'), PIPECD_BINARY: copy },
    });
    const script = program(sandbox, 'envoy-script', '#!/usr/bin/env sh\nexit 7\n');
    const sh = await start({
      node,
      sandbox,
      args: ['gateway'],
      env: { ENVOY_CONFIG: fixture('envoy-ecs-demo.yaml'), PIPECD_BINARY: script },
    });
    expect([elf.code, sh.code]).toEqual([0, 7]);
  });
});
