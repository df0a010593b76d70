#!/usr/bin/env node
// A stand-in for pipecd / controlplane / envoy / piped / launcher. It records what it was given
// (argv, environment, PID, PID 1's command line, the files its flags name, its signal state) as JSON to the file in
// STAND_IN_RECORD, then behaves as STAND_IN_BEHAVIOUR says:
//   exit:N           exit with code N at once (default exit:0)
//   wait             run until a signal; on SIGTERM/SIGINT/... record it and exit with STAND_IN_TERM_EXIT (default 0)
//   kill:SIGNAL      die by SIGNAL
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';

const record = process.env.STAND_IN_RECORD;
const behaviour = process.env.STAND_IN_BEHAVIOUR ?? 'exit:0';

function fileFacts(path) {
  try {
    const stat = statSync(path);
    const bytes = readFileSync(path);
    return { path, mode: (stat.mode & 0o777).toString(8), uid: stat.uid, size: bytes.length, base64: bytes.toString('base64'), sha256: createHash('sha256').update(bytes).digest('hex') };
  } catch (error) {
    return { path, error: error.code };
  }
}

const args = process.argv.slice(2);
const paths = args.flatMap((a, i) => (a.startsWith('--') && a.includes('-file=') ? [a.slice(a.indexOf('=') + 1)] : a === '-c' ? [args[i + 1]] : []));
const status = readFileSync('/proc/self/status', 'utf8');
const field = (name) => status.match(new RegExp(`^${name}:\\s*(\\S+)`, 'm'))?.[1];
function initCmdline() {
  try {
    return readFileSync('/proc/1/cmdline', 'utf8').split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

const facts = {
  program: process.argv[1],
  args,
  pid: process.pid,
  ppid: process.ppid,
  env: process.env,
  environ: readFileSync('/proc/self/environ', 'utf8').split('\0').filter(Boolean),
  cmdline: readFileSync('/proc/self/cmdline', 'utf8').split('\0').filter(Boolean),
  init: initCmdline(),
  sigIgn: field('SigIgn'),
  sigBlk: field('SigBlk'),
  files: paths.map(fileFacts),
};
if (record) writeFileSync(record, JSON.stringify(facts));

const [mode, value] = behaviour.split(':');
if (mode === 'exit') process.exit(Number(value));
if (mode === 'kill') process.kill(process.pid, value);
if (mode === 'wait') {
  const code = Number(process.env.STAND_IN_TERM_EXIT ?? 0);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2']) {
    process.on(signal, () => {
      if (record) appendFileSync(`${record}.signals`, `${signal}\n`);
      if (signal === 'SIGUSR1' || signal === 'SIGUSR2' || signal === 'SIGHUP') return;
      process.exit(code);
    });
  }
  if (process.env.STAND_IN_READY) writeFileSync(process.env.STAND_IN_READY, String(process.pid));
  setInterval(() => {}, 1 << 30);
}
