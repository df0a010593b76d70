import type { LaunchPlan } from '../domain.js';
import { ROLES } from '../entrypoints/index.js';
import { BootstrapError, ExitCode, isBootstrapError } from '../errors.js';
import { resolveInputs, type AwsAccess } from '../inputs/resolve-inputs.js';
import { programEnvironment, selectSources, type Env } from '../inputs/select-sources.js';
import { execveOf, FORWARDED_SIGNALS, replaceProcess, signalExitCode, supervise, type Program } from '../launch/exec.js';
import { findProgram } from '../launch/find-program.js';
import { createLogger, parseLogEncoding, type Logger } from '../log.js';
import { FILE_MODE, writeFiles } from '../output/write-files.js';
import { renderLaunch } from '../render/plan.js';
import { openTransport, type LoadSdkTransport } from '../secrets/open-transport.js';
import { flagValue, parseInvocation } from './args.js';
import { helpText } from './help.js';

declare const __VERSION__: string;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';

/** The log encoding is needed before the command line is known to be valid, to report that it is not. */
function logEncodingOf(argv: readonly string[], env: Env) {
  return parseLogEncoding(flagValue(argv, '--log-encoding') ?? env.PIPECD_BOOTSTRAP_LOG_ENCODING);
}

/** The plan as `render` prints it: paths, modes, sizes and digests; never a value. */
export function describePlan(plan: LaunchPlan, program: string | undefined, removed: readonly string[]) {
  // Only render needs digests; a start does not load node:crypto (nor can a snapshot import() it).
  const { createHash } = process.getBuiltinModule('node:crypto');
  return {
    role: plan.role,
    program: program ?? null,
    args: plan.args,
    files: plan.files.map((f) => ({
      input: f.input,
      path: f.path,
      mode: `0${FILE_MODE.toString(8)}`,
      size: f.contents.length,
      sha256: createHash('sha256').update(f.contents).digest('hex'),
    })),
    environmentRemoved: removed,
  };
}

/** Until the program runs, a stop request ends the start: nothing is left half-done that matters. */
function stopBeforeStart(log: Logger): () => void {
  const handlers = FORWARDED_SIGNALS.map((signal) => {
    const handler = () => {
      log.warn({ signal }, 'stopped before the program started; nothing was started');
      process.exit(signalExitCode(signal));
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return () => handlers.forEach(([signal, handler]) => process.off(signal, handler));
}

async function start(argv: readonly string[], env: Env, log: Logger, loadSdkTransport: LoadSdkTransport): Promise<number> {
  const begin = performance.now();
  let mark = begin;
  const lap = () => {
    const now = performance.now();
    const ms = Math.round((now - mark) * 10) / 10;
    mark = now;
    return ms;
  };
  const invocation = parseInvocation(argv, env.PIPECD_BOOTSTRAP_ROLE);
  if (invocation.command === 'help') {
    process.stdout.write(helpText(VERSION));
    return ExitCode.ok;
  }
  if (invocation.command === 'version') {
    process.stdout.write(`pipecd-bootstrap ${VERSION}\n`);
    return ExitCode.ok;
  }
  const release = stopBeforeStart(log);
  const role = ROLES[invocation.role];
  const request = selectSources(role, env, invocation.flags);
  log.info(
    { role: role.name, inputs: request.sources.map((s) => ({ name: s.spec.name, from: s.origin.type, encoding: s.encoding })), ms: lap() },
    'read inputs',
  );

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
  const calls = Object.values(resolved.calls).reduce((sum, n) => sum + n, 0);
  log.info(
    { secrets: resolved.distinctSecrets, ...(resolved.client ? { client: resolved.client } : {}), ...(sdkReason ? { sdkReason } : {}), calls, byOperation: resolved.calls, batchDenied: resolved.batchDenied, batchThrottled: resolved.batchThrottled, ms: lap() },
    'resolved inputs',
  );

  const { plan, warnings } = renderLaunch(role, resolved.inputs, request.settings, request.outputDir, invocation.passThrough);
  for (const warning of warnings) log.warn(warning);
  log.info({ files: plan.files.map((f) => ({ path: f.path, bytes: f.contents.length })), ms: lap() }, 'rendered and validated');

  const programEnv = programEnvironment(env);
  const removed = Object.keys(env).filter((name) => !(name in programEnv)).sort();
  if (invocation.command === 'render') {
    let program: string | undefined;
    try {
      program = findProgram(role.programs, request.binary, env.PATH);
    } catch (error) {
      log.warn(error instanceof Error ? error.message : String(error));
    }
    process.stdout.write(`${JSON.stringify(describePlan(plan, program, removed), null, 2)}\n`);
    return ExitCode.ok;
  }

  const path = findProgram(role.programs, request.binary, env.PATH);
  writeFiles(request.outputDir, plan.files);
  log.info({ dir: request.outputDir, files: plan.files.length, ms: lap() }, 'wrote files');

  const program: Program = { path, args: plan.args, env: programEnv };
  const execve = execveOf(process);
  const totalMs = Math.round((performance.now() - begin) * 10) / 10;
  log.info({ program: path, args: plan.args, removedFromEnvironment: removed, mode: execve ? 'execve' : 'supervise', totalMs }, 'starting program');
  release();
  if (execve) replaceProcess(execve, program);
  return supervise(program, log);
}

/** Runs one start and returns the exit code; only BootstrapErrors carry messages written for users. */
export async function run(argv: readonly string[], env: Env, loadSdkTransport: LoadSdkTransport): Promise<number> {
  const encoding = logEncodingOf(argv, env);
  const log = createLogger(encoding ?? 'json');
  // Node's own warnings (the AWS SDK warns about Node 20) become log lines too, so stderr stays one format.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => log.warn({ warning: warning.name }, warning.message.split('\n')[0]!));
  try {
    if (encoding === undefined) throw new BootstrapError(ExitCode.usage, 'PIPECD_BOOTSTRAP_LOG_ENCODING (--log-encoding): must be json or humanize');
    return await start(argv, env, log, loadSdkTransport);
  } catch (error) {
    if (isBootstrapError(error)) {
      log.error({ exitCode: error.exitCode, ...(error.hint ? { hint: error.hint } : {}) }, error.message);
      return error.exitCode;
    }
    // The message of an unexpected error is not known to be free of values; its name and frames are.
    const name = error instanceof Error ? error.name : typeof error;
    const frames = error instanceof Error ? (error.stack ?? '').split('\n').slice(1, 5).map((f) => f.trim()) : [];
    log.error({ exitCode: ExitCode.software, error: name, frames }, 'internal error in pipecd-bootstrap; please report it');
    return ExitCode.software;
  }
}
