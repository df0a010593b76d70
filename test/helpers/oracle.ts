import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/paths.mjs';

/**
 * The differential oracle: test/oracle, a Go program that decodes configs as PipeCD does, with
 * PipeCD's own libraries from Debian (sigs.k8s.io/yaml over gopkg.in/yaml.v2, encoding/json).
 */
export const ORACLE = join(ROOT, '.tmp/oracle/oracle');

/** Builds the oracle in GOPATH mode (no module proxy is reachable): seconds, once per test run. */
export function buildOracle(): string {
  mkdirSync(join(ROOT, '.tmp/oracle'), { recursive: true });
  execFileSync('go', ['build', '-o', ORACLE, '.'], {
    cwd: join(ROOT, 'test/oracle'),
    env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOFLAGS: '', GOCACHE: join(ROOT, '.tmp/oracle/cache') },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return ORACLE;
}

export type OracleKind = 'controlplane' | 'piped';
export interface Verdict {
  readonly ok: boolean;
  readonly error?: string;
  /** For the kind `json`: what YAMLToJSON made of the document. */
  readonly json?: string;
}

/** PipeCD's verdict on each config, in one run of the oracle for the whole batch. */
export function judge(oracle: string, kind: OracleKind | 'json', configs: readonly string[]): Verdict[] {
  if (configs.length === 0) return [];
  const input = configs.map((yaml) => JSON.stringify({ kind, yaml })).join('\n') + '\n';
  const r = spawnSync(oracle, [], { input, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`oracle failed (${r.status}): ${r.stderr}`);
  const verdicts = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Verdict);
  if (verdicts.length !== configs.length) throw new Error(`oracle answered ${verdicts.length} of ${configs.length}`);
  return verdicts;
}
