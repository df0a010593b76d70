#!/usr/bin/env node
// A stand-in for pipecd / controlplane / envoy / piped / launcher. It records what it was given
// (argv, environment, PID, PID 1's command line, the files its flags name, its signal state) as JSON to the file in
// STAND_IN_RECORD, then behaves as STAND_IN_BEHAVIOUR says:
//   exit:N           exit with code N at once (default exit:0)
//   wait             run until a signal; on SIGTERM/SIGINT/... record it and exit with STAND_IN_TERM_EXIT (default 0)
//   kill:SIGNAL      die by SIGNAL
//   orphan           start a shell that leaves a short sleep behind as an orphan, then record in
//                    STAND_IN_RECORD.orphan whether that orphan, once it exited, was reaped or stayed a zombie
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
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
if (mode === 'orphan') {
  // The shell exits at once; its background sleep is reparented to PID 1 (or the nearest subreaper).
  const orphan = Number(execFileSync('/bin/sh', ['-c', 'sleep 0.2 </dev/null >/dev/null 2>&1 & echo $!'], { encoding: 'utf8' }).trim());
  const state = () => {
    try {
      return readFileSync(`/proc/${orphan}/stat`, 'utf8').split(') ')[1][0];
    } catch {
      return 'reaped';
    }
  };
  const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  const until = Date.now() + 10_000;
  while (!['Z', 'reaped'].includes(state()) && Date.now() < until) pause(20);
  // A reaper may need a moment after the exit; a zombie that outlives two seconds has none.
  const zombieSince = Date.now();
  while (state() === 'Z' && Date.now() - zombieSince < 2_000) pause(20);
  if (record) writeFileSync(`${record}.orphan`, JSON.stringify({ pid: orphan, state: state() }));
  process.exit(0);
}
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
