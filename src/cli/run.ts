import type { LaunchPlan, RoleSpec } from '../domain.js';
import { ExitCode, isBootstrapError } from '../errors.js';
import { rawEnvironment } from '../inputs/raw-environment.js';
import { resolveInputs, type AwsAccess, type ResolveReport } from '../inputs/resolve-inputs.js';
import { selectSources, type StartRequest } from '../inputs/select-sources.js';
import { BOOTSTRAP_VARIABLES, readSetting, type Env } from '../inputs/settings.js';
import { assertRunnable } from '../launch/check-program.js';
import { execveOf, replaceProcess, supervise, type Program } from '../launch/exec.js';
import { findProgram } from '../launch/find-program.js';
import { alteredVariables, programEnvironment } from '../launch/program-environment.js';
import { IMAGE_TINI_PATHS, startUnderReaper } from '../launch/reaper.js';
import { stopBeforeStart, type StopGate } from '../launch/stop-before-start.js';
import { createLogger, type LogEncoding, type Logger } from '../log.js';
import { giveFiles, ownerFor } from '../output/owner.js';
import { writeFiles } from '../output/write-files.js';
import { renderLaunch } from '../render/plan.js';
import { ROLES } from '../roles/index.js';
import { openTransport, type LoadSdkTransport } from '../secrets/open-transport.js';
import { flagValue, parseInvocation, type Invocation } from './args.js';
import { helpText } from './help.js';
import { printInitCommand } from './init-container.js';
import { printPlan } from './print-plan.js';
import { stopwatch } from './stopwatch.js';

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';

type Clock = ReturnType<typeof stopwatch>;
type RunInvocation = Extract<Invocation, { command: 'run' | 'render' | 'write' }>;

/** --log-encoding, read before the command line is known to be valid: the encoding is needed to report that it is not. */
function logEncodingFlag(argv: readonly string[]): Record<string, string> {
  const value = flagValue(argv, '--log-encoding');
  return value === undefined ? {} : { 'log-encoding': value };
}

function readInputs(role: RoleSpec, invocation: RunInvocation, env: Env, log: Logger, clock: Clock): StartRequest {
  const request = selectSources(role, env, invocation.flags, rawEnvironment);
  const inputs = request.sources.map((s) => ({ name: s.spec.name, from: s.origin.type, encoding: s.encoding }));
  log.info({ role: role.name, inputs, ms: clock.lap() }, 'read inputs');
  return request;
}

async function resolve(
  request: StartRequest,
  env: Env,
  log: Logger,
  clock: Clock,
  loadSdkTransport: LoadSdkTransport,
): Promise<ResolveReport> {
  let sdkReason: string | undefined;
  const aws: AwsAccess = {
    defaultRegion: env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined,
    open: async (regions, deadlineMs) => {
      const opened = await openTransport(env, regions, deadlineMs, loadSdkTransport);
      sdkReason = opened.sdkReason;
      return opened.transport;
    },
  };
  const resolved = await resolveInputs(request.sources, AbortSignal.timeout(request.timeoutMs), request.timeoutMs, aws);
  const { calls, batchDenied, batchThrottled, client } = resolved;
  const total = Object.values(calls).reduce((sum, n) => sum + n, 0);
  log.info(
    {
      secrets: resolved.distinctSecrets,
      ...(client ? { client } : {}),
      ...(sdkReason ? { sdkReason } : {}),
      calls: total,
      byOperation: calls,
      batchDenied,
      batchThrottled,
      ms: clock.lap(),
    },
    'resolved inputs',
  );
  return resolved;
}

function render(
  role: RoleSpec,
  request: StartRequest,
  resolved: ResolveReport,
  invocation: RunInvocation,
  log: Logger,
  clock: Clock,
): LaunchPlan {
  const { plan, warnings } = renderLaunch(role, resolved.inputs, request.role, request.outputDir, invocation.passThrough);
  for (const warning of warnings) log.warn(warning);
  log.info({ files: plan.files.map((f) => ({ path: f.path, bytes: f.contents.length })), ms: clock.lap() }, 'rendered and validated');
  return plan;
}

/** `render`: the plan on stdout, and a program that cannot be found is a warning, not a failure. */
function printOnly(role: RoleSpec, request: StartRequest, plan: LaunchPlan, programEnv: Program['env'], env: Env, log: Logger): number {
  let path: string | undefined;
  try {
    path = findProgram(role.programs, request.binary, env.PATH);
  } catch (error) {
    if (!isBootstrapError(error)) throw error;
    log.warn(error.message);
  }
  printPlan(plan, path, removedVariables(env, programEnv));
  return ExitCode.ok;
}

function write(request: StartRequest, plan: LaunchPlan, log: Logger, clock: Clock): void {
  writeFiles(request.outputDir, plan.files);
  log.info({ dir: request.outputDir, files: plan.files.length, ms: clock.lap() }, 'wrote files');
}

/** `write` (an init container): the files, given to the program's user, and the program container's command on stdout. */
function writeForProgramContainer(role: RoleSpec, request: StartRequest, plan: LaunchPlan, log: Logger, clock: Clock): number {
  const uid = process.getuid!();
  const gid = process.getgid!();
  const owner = ownerFor(role, request.owner, uid, gid);
  write(request, plan, log, clock);
  if (owner) giveFiles(request.outputDir, plan.files, owner);
  printInitCommand(plan, owner ?? { uid, gid });
  return ExitCode.ok;
}

const removedVariables = (env: Env, kept: Program['env']) =>
  Object.keys(env)
    .filter((name) => !(name in kept))
    .sort();

/** Replaces this process with the program, or runs it as a supervised child where Node cannot execve. */
function exec(program: Program, env: Env, log: Logger, clock: Clock, gate: StopGate): Promise<number> {
  const execve = execveOf(process);
  const mode = execve ? 'execve' : 'supervise';
  const altered = alteredVariables(program.env, rawEnvironment);
  if (altered.length > 0)
    log.warn({ variables: altered }, 'these variables are not UTF-8; the program gets them with U+FFFD in place of the bytes that are not');
  log.info(
    { program: program.path, args: program.args, removedFromEnvironment: removedVariables(env, program.env), mode, totalMs: clock.total() },
    'starting program',
  );
  return execve ? replaceProcess(execve, program, gate) : supervise(program, gate);
}

/** The program's path, checked to be runnable here before anything is written. */
function locateProgram(role: RoleSpec, request: StartRequest, env: Env): string {
  const path = findProgram(role.programs, request.binary, env.PATH);
  assertRunnable(path);
  return path;
}

/** One start, step by step: parse, select, resolve, render, write, exec. */
async function start(argv: readonly string[], env: Env, log: Logger, loadSdkTransport: LoadSdkTransport): Promise<number> {
  const invocation = parseInvocation(argv, readSetting('role', env, {}));
  if (invocation.command === 'help') return print(helpText(VERSION));
  if (invocation.command === 'version') return print(`pipecd-bootstrap ${VERSION}\n`);
  const gate = stopBeforeStart(log);
  const clock = stopwatch();
  const role = ROLES[invocation.role];
  const request = readInputs(role, invocation, env, log, clock);
  const resolved = await resolve(request, env, log, clock, loadSdkTransport);
  const plan = render(role, request, resolved, invocation, log, clock);
  const programEnv = programEnvironment(env, BOOTSTRAP_VARIABLES);
  if (invocation.command === 'render') return printOnly(role, request, plan, programEnv, env, log);
  if (invocation.command === 'write') return writeForProgramContainer(role, request, plan, log, clock);
  const path = locateProgram(role, request, env);
  const program = startUnderReaper(
    role,
    { path, args: plan.args, env: programEnv },
    { pid: process.pid, path: env.PATH, tiniPaths: IMAGE_TINI_PATHS },
    log,
  );
  write(request, plan, log, clock);
  return exec(program, env, log, clock, gate);
}

function print(text: string): number {
  process.stdout.write(text);
  return ExitCode.ok;
}

/** An error line for a failure: a BootstrapError's own words, or for anything else only what cannot hold a value. */
function report(error: unknown, log: Logger): number {
  if (isBootstrapError(error)) {
    log.error({ exitCode: error.exitCode, ...(error.hint ? { hint: error.hint } : {}) }, error.message);
    return error.exitCode;
  }
  // The message of an unexpected error is not known to be free of values; its name and frames are.
  const name = error instanceof Error ? error.name : typeof error;
  const frames =
    error instanceof Error
      ? (error.stack ?? '')
          .split('\n')
          .slice(1, 5)
          .map((f) => f.trim())
      : [];
  log.error({ exitCode: ExitCode.software, error: name, frames }, 'internal error in pipecd-bootstrap; please report it');
  return ExitCode.software;
}

/** Runs one start and returns the exit code. */
export async function run(argv: readonly string[], env: Env, loadSdkTransport: LoadSdkTransport): Promise<number> {
  let encoding: LogEncoding = 'json';
  let badEncoding: unknown;
  try {
    encoding = readSetting('logEncoding', env, logEncodingFlag(argv));
  } catch (error) {
    badEncoding = error;
  }
  const log = createLogger(encoding);
  // Node's own warnings (the AWS SDK warns about Node 20) become log lines too, so stderr stays one format.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => log.warn({ warning: warning.name }, warning.message.split('\n')[0]!));
  try {
    if (badEncoding !== undefined) throw badEncoding;
    return await start(argv, env, log, loadSdkTransport);
  } catch (error) {
    return report(error, log);
  }
}
