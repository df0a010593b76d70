import { delimiter, join } from 'node:path';
import type { RoleSpec } from '../domain.js';
import type { Logger } from '../log.js';
import type { Program } from './exec.js';
import { isExecutableFile } from './find-program.js';

/** Where images keep tini: alpine's package (PipeCD's piped image) puts it in /sbin, Debian's in /usr/bin. */
export const IMAGE_TINI_PATHS: readonly string[] = ['/sbin/tini', '/usr/bin/tini'];

/** Where this process runs: its PID, its PATH, and where the image keeps tini. */
export interface ReaperHost {
  readonly pid: number;
  readonly path: string | undefined;
  readonly tiniPaths: readonly string[];
}

export type Reaper =
  /** Not PID 1 (an init is above us), or the program starts no children: started as it is. */
  | { readonly kind: 'none'; readonly program: Program }
  /** PID 1 and the program starts children: started under tini, which reaps their orphans. */
  | { readonly kind: 'tini'; readonly program: Program; readonly tini: string }
  /** PID 1, the program starts children, and no tini: started as it is, with a warning. */
  | { readonly kind: 'missing'; readonly program: Program };

function findTini(host: ReaperHost): string | undefined {
  const onPath = (host.path ?? '')
    .split(delimiter)
    .filter((dir) => dir.startsWith('/'))
    .map((dir) => join(dir, 'tini'));
  return [...host.tiniPaths, ...onPath].find(isExecutableFile);
}

/**
 * PID 1 inherits every orphan in the container and must reap it; piped's git, kubectl and terraform
 * leave orphans, and neither the program nor Node reaps what it did not start, so zombies would pile
 * up until fork fails. When this process is PID 1 (an ECS entryPoint override, or a platform that
 * replaced the image's ENTRYPOINT and its tini) and the role's program starts children, the program
 * is started under the image's tini. `-s` registers tini as a subreaper, so that it also reaps when
 * it is not PID 1 (the supervised mode, where Node stays PID 1) and is harmless under another init.
 */
export function withReaper(role: RoleSpec, program: Program, host: ReaperHost): Reaper {
  if (host.pid !== 1 || !role.startsChildren) return { kind: 'none', program };
  const tini = findTini(host);
  if (tini === undefined) return { kind: 'missing', program };
  return { kind: 'tini', tini, program: { path: tini, args: ['-s', '--', program.path, ...program.args], env: program.env } };
}

/** The program as it will be started, with a log line whenever PID 1 changed how. */
export function startUnderReaper(role: RoleSpec, program: Program, host: ReaperHost, log: Logger): Program {
  const reaper = withReaper(role, program, host);
  if (reaper.kind === 'tini') {
    log.info({ tini: reaper.tini }, `PID 1 with no init: starting ${role.name} under tini, which reaps the orphans of its child processes`);
  }
  if (reaper.kind === 'missing') {
    log.warn(
      {
        hint: 'set "initProcessEnabled": true in the ECS container definition, keep the image ENTRYPOINT (tini), or add tini to the image',
      },
      `PID 1 with no init and no tini (looked in ${host.tiniPaths.join(', ')} and PATH): the orphans of ${role.name}'s child processes will stay zombies`,
    );
  }
  return reaper.program;
}
