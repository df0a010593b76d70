import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { programNotExecutable, programNotFound } from '../errors.js';

/** A regular file this process may execute. */
export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The program's absolute path. A failed execve aborts Node outright, so everything that can be
 * checked about the program is checked here, where a clear error is still possible.
 */
export function findProgram(candidates: readonly string[], binary: string | undefined, pathVariable: string | undefined): string {
  if (binary !== undefined && binary.includes('/')) {
    const path = isAbsolute(binary) ? binary : join(process.cwd(), binary);
    if (isExecutableFile(path)) return path;
    if (exists(path))
      throw programNotExecutable(`PIPECD_BINARY ${binary} is not an executable file`, 'check the image: the file needs the execute bit');
    throw programNotFound(`PIPECD_BINARY ${binary} does not exist`, 'check the path of the program in the image');
  }
  const names = binary !== undefined ? [binary] : candidates;
  const dirs = (pathVariable ?? '').split(delimiter).filter((d) => d !== '');
  for (const name of names) {
    for (const dir of dirs) {
      const path = join(dir, name);
      if (isExecutableFile(path)) return isAbsolute(path) ? path : join(process.cwd(), path);
    }
  }
  throw programNotFound(
    `program not found: looked for ${names.join(', ')} on PATH`,
    "run in a PipeCD image, or set PIPECD_BINARY to the program's path",
  );
}
