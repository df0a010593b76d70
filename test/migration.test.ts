// The migration guide's claims, proven against the commands users run today. Each old command is run
// verbatim (entryPoint + command, as ECS joins them) as PID 1 of a fresh PID namespace with BusyBox ash
// or dash as /bin/sh, beside pipecd-bootstrap on the same inputs and the same stand-in programs. What
// each run showed is asserted here and recorded as the observations `migration`, which `npm run docs`
// turns into the README's comparison tables (scripts/docs/migration.mjs).
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { recordObservation } from '../scripts/lib/observations.mjs';
import { BUNDLE, errorLine, fixture, makeSandbox, NODE20, NODE22, ROOT, type StandInRecord } from './helpers/bundle.js';
import { startAndTerminate, startContainer, type ContainerRun } from './helpers/container.js';
import { b64, controlPlaneConfig, newEncryptionKey, newPipedKey } from './helpers/values.js';
import { ROLES } from '../src/roles/index.js';

const README_BLOCK = /<!-- BEGIN generated:migration -->([\s\S]*?)<!-- END generated:migration -->/;
/** How long a SIGTERM may take to reach an idle program (milliseconds when it does; generous for a loaded machine). */
const TERM_GRACE_MS = 5_000;

/** The values Terraform puts in for the demo's `${var.*}` (an RDS and an ElastiCache address). */
const TF_VARS: Record<string, string> = {
  db_instance_address: 'pipecd.c1x2y3z4.us-east-1.rds.amazonaws.com',
  redis_host: 'pipecd.ab12cd.0001.use1.cache.amazonaws.com',
};
const renderTerraform = (text: string) =>
  text.replace(/\$\{var\.(\w+)\}/g, (_, name: string) => {
    const value = TF_VARS[name];
    if (value === undefined) throw new Error(`no value for var.${name}`);
    return value;
  });

// The inputs of every run: what ECS `secrets` injects from Secrets Manager, made as the guide makes them.
const KEY = newEncryptionKey();
const CP = controlPlaneConfig();
const HOST_IN_PASSWORD = controlPlaneConfig(`pipecd-mysql-${newPipedKey().slice(0, 8)}`);
const ENVOY = fixture('envoy-ecs-demo.yaml');
const PIPED_KEY = newPipedKey();
const PIPED = fixture('piped-full.yaml').replace('pipedKeyFile: etc/piped/key', `pipedKeyData: ${b64(PIPED_KEY)}`);

interface Container {
  readonly name: 'server' | 'ops' | 'gateway' | 'piped';
  readonly program: 'pipecd' | 'envoy' | 'piped';
  /** Where the old command is quoted from (repository, path, commit). */
  readonly source: string;
  /** entryPoint and command exactly as the source writes them (Terraform's `${var.*}` left in). */
  readonly entryPoint: readonly string[];
  readonly command: readonly string[];
  /** The env var the old command reads the config from, and the config's base64 value. */
  readonly configVar: string;
  readonly configValue: string;
  /** Secret values that must never show in a log or argv (beyond the config's base64). */
  readonly secrets: readonly string[];
  readonly oldEnv: Readonly<Record<string, string>>;
  /** pipecd-bootstrap's command on the same inputs (what a task definition's `command` holds). */
  readonly newArgs: readonly string[];
  readonly newEnv: Readonly<Record<string, string>>;
  /** Whether the old command echoes the config to stdout before decoding it. */
  readonly echoesConfig: boolean;
  /** Whether the old command expands the config into the program's command line. */
  readonly configInArgv: boolean;
  /** The files the old command writes in the working directory. */
  readonly oldFiles: readonly string[];
  /** Whether the old command, and pipecd-bootstrap, write the encryption key. */
  readonly oldWritesKey: boolean;
  readonly newWritesKey: boolean;
  /** Whether the config holds the MySQL url that `sed` or DATASTORE_HOST rewrites. */
  readonly hasDatastore: boolean;
}

const DEMO = 'pipe-cd/control-plane-aws-ecs-terraform-demo';
const DEMO_COMMIT = '8f614e767cec0f70ad403defb3d0aa2680b50832';
const PASS_THROUGH_SERVER = ['--insecure-cookie=true', '--enable-grpc-reflection=false', '--log-encoding=humanize', '--metrics=true'];

const controlPlaneEnv = (config: string) => ({ CONTROL_PLANE_CONFIG: b64(config), ENCRYPTION_KEY: KEY });
const bootstrapControlPlaneEnv = (config: string) => ({
  ...controlPlaneEnv(config),
  DATASTORE_HOST: TF_VARS.db_instance_address!,
  CACHE_ADDRESS: `${TF_VARS.redis_host}:6379`,
});

const CONTAINERS: readonly Container[] = [
  {
    name: 'server',
    program: 'pipecd',
    source: `${DEMO} ecs/ecs.tf (pipecd-server) at ${DEMO_COMMIT.slice(0, 7)}`,
    entryPoint: ['sh', '-c'],
    command: [
      "/bin/sh -c 'echo $CONTROL_PLANE_CONFIG; echo $CONTROL_PLANE_CONFIG | base64 -d >> control-plane-config.yaml; sed -i -e s/pipecd-mysql/${var.db_instance_address}/ control-plane-config.yaml; echo $ENCRYPTION_KEY >> encryption-key; pipecd server --insecure-cookie=true --cache-address=${var.redis_host}:6379 --config-file=control-plane-config.yaml --enable-grpc-reflection=false --encryption-key-file=encryption-key --log-encoding=humanize --metrics=true;'",
    ],
    configVar: 'CONTROL_PLANE_CONFIG',
    configValue: b64(CP.text),
    secrets: [CP.password, KEY],
    oldEnv: controlPlaneEnv(CP.text),
    newArgs: ['server', '--', ...PASS_THROUGH_SERVER],
    newEnv: bootstrapControlPlaneEnv(CP.text),
    echoesConfig: true,
    configInArgv: false,
    oldFiles: ['control-plane-config.yaml', 'encryption-key'],
    oldWritesKey: true,
    newWritesKey: true,
    hasDatastore: true,
  },
  {
    name: 'ops',
    program: 'pipecd',
    source: `${DEMO} ecs/ops.tf (pipecd-ops) at ${DEMO_COMMIT.slice(0, 7)}`,
    entryPoint: ['sh', '-c'],
    command: [
      "/bin/sh -c 'echo $CONTROL_PLANE_CONFIG; echo $CONTROL_PLANE_CONFIG | base64 -d >> control-plane-config.yaml; sed -i -e s/pipecd-mysql/${var.db_instance_address}/ control-plane-config.yaml; echo $ENCRYPTION_KEY >> encryption-key; pipecd ops --cache-address=${var.redis_host}:6379 --config-file=control-plane-config.yaml --log-encoding=humanize --metrics=true;'",
    ],
    configVar: 'CONTROL_PLANE_CONFIG',
    configValue: b64(CP.text),
    secrets: [CP.password, KEY],
    oldEnv: controlPlaneEnv(CP.text),
    newArgs: ['ops', '--', '--log-encoding=humanize', '--metrics=true'],
    newEnv: {
      CONTROL_PLANE_CONFIG: b64(CP.text),
      DATASTORE_HOST: TF_VARS.db_instance_address!,
      CACHE_ADDRESS: `${TF_VARS.redis_host}:6379`,
    },
    echoesConfig: true,
    configInArgv: false,
    oldFiles: ['control-plane-config.yaml', 'encryption-key'],
    oldWritesKey: true,
    newWritesKey: false,
    hasDatastore: true,
  },
  {
    name: 'gateway',
    program: 'envoy',
    source: `${DEMO} ecs/ecs.tf (pipecd-gateway) at ${DEMO_COMMIT.slice(0, 7)}`,
    entryPoint: ['sh', '-c'],
    command: ["/bin/sh -c 'echo $ENVOY_CONFIG; echo $ENVOY_CONFIG | base64 -d >> envoy-config.yaml; envoy -c envoy-config.yaml;'"],
    configVar: 'ENVOY_CONFIG',
    configValue: b64(ENVOY),
    secrets: [],
    oldEnv: { ENVOY_CONFIG: b64(ENVOY) },
    newArgs: ['gateway'],
    newEnv: { ENVOY_CONFIG: b64(ENVOY) },
    echoesConfig: true,
    configInArgv: false,
    oldFiles: ['envoy-config.yaml'],
    oldWritesKey: false,
    newWritesKey: false,
    hasDatastore: false,
  },
  {
    name: 'piped',
    program: 'piped',
    source: 'pipe-cd/pipecd docs/content/en/docs-dev/installation/install-piped/installing-on-fargate.md at 2551594',
    entryPoint: ['sh', '-c'],
    command: ['/bin/sh -c "piped piped --config-data=$(echo $CONFIG_DATA)"'],
    configVar: 'CONFIG_DATA',
    configValue: b64(PIPED),
    secrets: [PIPED_KEY, b64(PIPED_KEY)],
    oldEnv: { CONFIG_DATA: b64(PIPED) },
    newArgs: ['piped'],
    newEnv: { PIPED_CONFIG: b64(PIPED) },
    echoesConfig: false,
    configInArgv: true,
    oldFiles: [],
    oldWritesKey: false,
    newWritesKey: false,
    hasDatastore: false,
  },
];

interface Runner {
  /** The table column. */
  readonly column: string;
  readonly argv: (c: Container) => string[];
  /** The container's environment; `override` replaces inputs (the same names before and after). */
  readonly env: (c: Container, override?: Readonly<Record<string, string>>) => Record<string, string>;
  readonly shell?: string;
  /** Where the program's files end up: the working directory, or the bootstrapper's own directory. */
  readonly filesIn: 'workdir' | 'out';
  readonly expected: {
    /** Processes from PID 1 down to the program: 1 means the program itself is PID 1. */
    readonly depth: (c: Container) => number;
    readonly termReached: boolean;
    readonly logShowsConfig: (c: Container) => boolean;
    readonly argvHoldsConfig: (c: Container) => boolean;
    readonly fileMode: string;
    /** What a second start in the same filesystem leaves: appended (twice the bytes) or replaced. */
    readonly appends: boolean;
    readonly keyBytes: (key: string) => string;
    readonly writesKey: (c: Container) => boolean;
    /** The url a config with `pipecd-mysql` inside its password becomes. */
    readonly hostInPasswordUrl: (password: string, host: string) => string;
    /** Whether a config that does not decode still gets the program started. */
    readonly startsOnBadConfig: boolean;
  };
}

const OLD_EXPECTED = {
  logShowsConfig: (c: Container) => c.echoesConfig,
  argvHoldsConfig: (c: Container) => c.configInArgv,
  fileMode: '644',
  appends: true,
  keyBytes: (key: string) => `${key}\n`,
  writesKey: (c: Container) => c.oldWritesKey,
  // sed without /g replaces the first match on the line, which is inside the password.
  hostInPasswordUrl: (password: string, host: string) => `sample:${password.replace('pipecd-mysql', host)}@tcp(pipecd-mysql:3306)`,
  // The commands are joined by `;`: a failed base64 -d does not stop them.
  startsOnBadConfig: true,
};
const NEW_EXPECTED = {
  logShowsConfig: () => false,
  argvHoldsConfig: () => false,
  fileMode: '600',
  appends: false,
  keyBytes: (key: string) => key,
  writesKey: (c: Container) => c.newWritesKey,
  hostInPasswordUrl: (password: string, host: string) => `sample:${password}@tcp(${host}:3306)`,
  startsOnBadConfig: false,
};

const oldRunner = (column: string, shell: string, depth: number, termReached: boolean): Runner => ({
  column,
  argv: (c) => [...c.entryPoint, ...c.command.map(renderTerraform)],
  env: (c, override) => ({ ...c.oldEnv, ...override }),
  shell,
  filesIn: 'workdir',
  expected: { depth: () => depth, termReached, ...OLD_EXPECTED },
});
const newRunner = (column: string, node: string, depth: number): Runner => ({
  column,
  argv: (c) => [node, BUNDLE, ...c.newArgs],
  env: (c, override) => ({ ...c.newEnv, ...override }),
  filesIn: 'out',
  // As PID 1, pipecd-bootstrap starts a program that starts children (ops, piped) under tini: one more.
  expected: { depth: (c) => depth + (ROLES[c.name].startsChildren ? 1 : 0), termReached: true, ...NEW_EXPECTED },
});

const RUNNERS: readonly Runner[] = [
  // BusyBox ash execs the last command of `sh -c`, the nested one's too: the program becomes PID 1.
  oldRunner('old command, BusyBox ash', '/bin/busybox', 1, true),
  // dash forks every command: PID 1 is the outer sh, which ignores the runtime's SIGTERM.
  oldRunner('old command, dash', '/usr/bin/dash', 3, false),
  newRunner('pipecd-bootstrap, execve (Node 22)', NODE22, 1),
  newRunner('pipecd-bootstrap, supervise (Node 20)', NODE20, 2),
];

/** Row names: the generator and the README check rely on them staying the same. */
const ROW = {
  log: 'the log (stdout and stderr)',
  argv: "the config in the program's argv",
  flags: 'flags the program got',
  files: 'files and modes',
  key: 'encryption-key after one start',
  second: 'after a second start in the same filesystem',
  process: "the program's process",
  sigterm: 'SIGTERM to PID 1 (docker stop, ECS StopTask)',
  hostInPassword: 'a MySQL password containing `pipecd-mysql`',
  truncated: 'a config secret cut short (its last 3 base64 characters lost)',
} as const;

const observed: { container: string; column: string; row: string; value: string }[] = [];

function observe(container: Container, runner: Runner, row: string, value: string): void {
  const fact = { container: container.name, column: runner.column, row, value };
  observed.push(fact);
  recordObservation('migration', fact);
}

/** The commands a container's rows come from: the old one verbatim, pipecd-bootstrap's as run. */
function recordCommands(container: Container): void {
  const { source, entryPoint, command, newArgs } = container;
  recordObservation('migration', {
    container: container.name,
    commands: { source, entryPoint, command, newArgs, newEnv: Object.keys(container.newEnv) },
  });
}

interface FileFacts {
  readonly name: string;
  readonly mode: string;
  readonly bytes: Buffer;
}

/** The files a program is given, without the writer's own `..data` link and set directories. */
function filesIn(dir: string): FileFacts[] {
  return readdirSync(dir)
    .filter((name) => !name.startsWith('..'))
    .sort()
    .map((name) => ({ name, mode: (statSync(join(dir, name)).mode & 0o777).toString(8), bytes: readFileSync(join(dir, name)) }));
}

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8).padStart(4, '0');
const flagNames = (args: readonly string[]) =>
  args
    .filter((a) => a.startsWith('-'))
    .map((a) => a.split('=')[0]!)
    .sort();

/** The secret values found in a text, directly or inside a base64 word of it. */
function secretsIn(text: string, values: readonly string[]): string[] {
  const decoded = (text.match(/[A-Za-z0-9+/]{40,}={0,2}/g) ?? []).map((w) => Buffer.from(w, 'base64').toString('utf8'));
  return values.filter((v) => text.includes(v) || decoded.some((d) => d.includes(v)));
}

/** A url shown with the test's random parts named, so the table reads the same on every run. */
const shownUrl = (url: string, password: string) =>
  url.replaceAll(TF_VARS.db_instance_address!, '<db host>').replace(password.slice('pipecd-mysql-'.length), '…');

const cells = (line: string) =>
  line
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replaceAll('\\|', '|'));

/** A cell of the README's table for a container, found by its row and column names. */
function tableCell(block: string, container: string, row: string, column: string): string | undefined {
  const section = block.split(/^### /m).find((s) => s.startsWith(`${container}\n`));
  const lines = section?.split('\n').filter((l) => l.startsWith('|')) ?? [];
  const header = lines[0] ? cells(lines[0]) : [];
  const line = lines.find((l) => cells(l)[0] === row);
  return line ? cells(line)[header.indexOf(column)] : undefined;
}

describe('the old sh -c commands beside pipecd-bootstrap, on the same inputs', () => {
  afterAll(() => {
    for (const c of CONTAINERS) recordCommands(c);
  });

  describe.each(CONTAINERS)('$name', (container) => {
    it.each(RUNNERS)('$column', async (runner) => {
      const sandbox = makeSandbox();
      const workdir = join(sandbox.root, 'work');
      mkdirSync(workdir);
      const run: ContainerRun = { argv: runner.argv(container), shell: runner.shell, workdir, env: runner.env(container), sandbox };
      const dir = runner.filesIn === 'workdir' ? workdir : sandbox.out;

      // First start: the program runs until the runtime stops the container.
      const first = await startAndTerminate(run, TERM_GRACE_MS);
      const record = JSON.parse(readFileSync(sandbox.record, 'utf8')) as StandInRecord;
      const log = first.log;
      const filesAfterOne = filesIn(dir);

      // The log: the old commands echo the config's base64 (the MySQL password inside); no value otherwise.
      // The bootstrapper's lines stay JSON though pipecd is passed --log-encoding=humanize after `--`.
      const leaked = secretsIn(log, container.secrets);
      const logShowsConfig = log.includes(container.configValue);
      expect(logShowsConfig).toBe(runner.expected.logShowsConfig(container));
      expect(leaked.length > 0).toBe(runner.expected.logShowsConfig(container) && container.secrets.length > 0);
      expect(log.includes(KEY)).toBe(false);
      observe(
        container,
        runner,
        ROW.log,
        logShowsConfig
          ? `the whole ${container.configVar}, base64${leaked.includes(CP.password) ? ' (the MySQL password inside)' : ''}`
          : log.trim() === ''
            ? 'nothing'
            : log
                  .trim()
                  .split('\n')
                  .every((l) => typeof (JSON.parse(l) as { msg?: unknown }).msg === 'string')
              ? 'JSON step lines, no secret value'
              : 'unexpected output',
      );

      // argv: the piped guide expands the config into the command line, readable in /proc/PID/cmdline.
      const argvHoldsConfig = record.args.some((a) => a.includes(container.configValue));
      expect(argvHoldsConfig).toBe(runner.expected.argvHoldsConfig(container));
      expect(secretsIn(record.args.join(' '), container.secrets).length > 0).toBe(argvHoldsConfig);
      observe(container, runner, ROW.argv, argvHoldsConfig ? 'yes: the whole config, base64 (readable with ps)' : 'no');

      // The flags: the task definition's `command` after the switch gives the program the same flags.
      const subcommands = record.args.slice(
        0,
        Math.max(
          0,
          record.args.findIndex((a) => a.startsWith('-')),
        ),
      );
      observe(container, runner, ROW.flags, [...subcommands, ...flagNames(record.args)].join(' '));

      // Files: where, which mode.
      const expectedNames = runner.filesIn === 'workdir' ? container.oldFiles : record.files.map((f) => f.path.split('/').pop()!).sort();
      expect(filesAfterOne.map((f) => f.name)).toEqual([...expectedNames].sort());
      for (const f of filesAfterOne) expect(f.mode).toBe(runner.expected.fileMode);
      observe(
        container,
        runner,
        ROW.files,
        filesAfterOne.length === 0
          ? 'none'
          : `${filesAfterOne.map((f) => `${f.name} ${f.mode.padStart(4, '0')}`).join(', ')} ${runner.filesIn === 'workdir' ? 'in the working directory' : `in a ${modeOf(dir)} directory`}`,
      );
      if (runner.filesIn === 'out') expect(modeOf(dir)).toBe('0700');

      // The key file: one trailing newline from echo, or the key byte for byte.
      const key = filesAfterOne.find((f) => f.name === 'encryption-key');
      expect(key?.bytes.toString('latin1')).toBe(runner.expected.writesKey(container) ? runner.expected.keyBytes(KEY) : undefined);
      if (container.oldWritesKey || container.newWritesKey) {
        observe(
          container,
          runner,
          ROW.key,
          key === undefined
            ? `not written (${container.name} takes no key)`
            : `${key.bytes.length} bytes: ${key.bytes.equals(Buffer.from(`${KEY}\n`)) ? 'the key and a newline' : key.bytes.equals(Buffer.from(KEY)) ? 'the key, byte for byte' : 'other bytes'}${record.args.some((a) => a.startsWith('--encryption-key-file=')) ? '' : ` (${container.name} is not given it)`}`,
        );
      }

      // The program's process and the runtime's SIGTERM.
      expect(first.chain.comms).toHaveLength(runner.expected.depth(container));
      expect(first.termReached).toBe(runner.expected.termReached);
      const ancestors = first.chain.comms.slice(0, -1);
      observe(
        container,
        runner,
        ROW.process,
        ancestors.length === 0
          ? `${container.program} is PID 1`
          : `${ancestors.map((c, i) => (i === 0 ? `${c} (PID 1)` : c)).join(' → ')} → ${container.program}`,
      );
      if (first.termReached) expect(first.result.code).toBe(42);
      expect(first.killedRunning).toBe(!runner.expected.termReached);
      observe(
        container,
        runner,
        ROW.sigterm,
        first.termReached ? `reached ${container.program}; its exit code 42 came back` : `lost: ${container.program} ran on until SIGKILL`,
      );

      // A second start in the same filesystem (a container restarted in place).
      if (filesAfterOne.length === 0) observe(container, runner, ROW.second, 'nothing to append to (no files)');
      else {
        const second = await startContainer(run);
        expect(second.code).toBe(0);
        const filesAfterTwo = filesIn(dir);
        for (const [i, f] of filesAfterTwo.entries()) {
          const once = filesAfterOne[i]!.bytes;
          expect(f.bytes).toEqual(runner.expected.appends ? Buffer.concat([once, once]) : once);
        }
        observe(
          container,
          runner,
          ROW.second,
          filesAfterTwo
            .map((f, i) => {
              const once = filesAfterOne[i]!.bytes;
              const what = f.bytes.equals(once)
                ? 'replaced, same bytes'
                : f.bytes.equals(Buffer.concat([once, once]))
                  ? 'appended: twice the first'
                  : 'changed';
              return `${f.name} ${what} (${f.bytes.length} bytes)`;
            })
            .join('; '),
        );
      }

      // sed s/pipecd-mysql/HOST/ against DATASTORE_HOST, on a password that contains the host's name.
      if (container.hasDatastore) {
        const other = makeSandbox();
        const otherWork = join(other.root, 'work');
        mkdirSync(otherWork);
        const r = await startContainer({
          ...run,
          workdir: otherWork,
          sandbox: other,
          env: runner.env(container, { CONTROL_PLANE_CONFIG: b64(HOST_IN_PASSWORD.text) }),
        });
        expect(r.code).toBe(0);
        const got = r.record!.files.find((f) => f.path.endsWith('control-plane-config.yaml'))!;
        const url = (parse(Buffer.from(got.base64!, 'base64').toString('utf8')) as { spec: { datastore: { config: { url: string } } } })
          .spec.datastore.config.url;
        expect(url).toBe(runner.expected.hostInPasswordUrl(HOST_IN_PASSWORD.password, TF_VARS.db_instance_address!));
        const passwordKept = url.startsWith(`sample:${HOST_IN_PASSWORD.password}@`);
        const hostReplaced = url.includes(`tcp(${TF_VARS.db_instance_address}:`);
        observe(
          container,
          runner,
          ROW.hostInPassword,
          `\`${shownUrl(url, HOST_IN_PASSWORD.password)}\`: password ${passwordKept ? 'kept' : 'changed'}, host ${hostReplaced ? 'replaced' : 'not replaced'}`,
        );
      }

      // A config that does not decode: the old commands go on to start the program with what base64 -d wrote.
      if (container.oldFiles.length > 0) {
        const other = makeSandbox();
        const otherWork = join(other.root, 'work');
        mkdirSync(otherWork);
        const cut = container.configValue.slice(0, -3);
        const r = await startContainer({
          ...run,
          workdir: otherWork,
          sandbox: other,
          env: runner.env(container, { [container.configVar]: cut }),
        });
        expect(r.record !== undefined).toBe(runner.expected.startsOnBadConfig);
        const got = r.record?.files.find((f) => !f.path.endsWith('encryption-key'));
        // The same config file from the full secret, as this runner wrote it at the first start.
        const full = filesAfterOne.find((f) => got?.path.endsWith(f.name))?.bytes.length;
        if (got) expect(got.size).toBeLessThan(full!);
        observe(
          container,
          runner,
          ROW.truncated,
          r.record
            ? `${container.program} started anyway, its ${got?.path} ${full! - got!.size!} bytes short${/base64: /.test(r.stderr) ? "; base64's error in the log" : ''}`
            : `exit ${r.code}, nothing written or started (${String(errorLine(r)?.msg).includes(container.configVar) ? `the error names ${container.configVar}` : 'unnamed error'})`,
        );
        if (!runner.expected.startsOnBadConfig) {
          expect(r.code).toBe(65);
          expect(existsSync(other.out) ? readdirSync(other.out) : []).toEqual([]);
        }
      }
    });
  });

  // `npm run docs` runs the tests before it rewrites the block, so there the block may be stale.
  it.skipIf(process.env.PIPECD_BOOTSTRAP_DOCS === 'write')('the README comparison block shows every fact this run observed', () => {
    const block = README_BLOCK.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'))?.[1];
    expect(block, 'README.md lacks the generated:migration block').toBeDefined();
    expect(observed.length).toBeGreaterThan(0);
    for (const o of observed) {
      expect(tableCell(block!, o.container, o.row, o.column), `README.md: ${o.container} / ${o.row} / ${o.column} (run npm run docs)`).toBe(
        o.value,
      );
    }
  });

  it("the README's hand-written task definitions give each control plane container the command this test ran", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const guide = readme.slice(
      readme.indexOf('<!-- END generated:migration -->'),
      readme.indexOf('\n## ', readme.indexOf('<!-- END generated:migration -->')),
    );
    for (const c of CONTAINERS.filter((c) => c.name !== 'piped')) {
      const hcl = `[${c.newArgs.map((a) => JSON.stringify(a)).join(', ')}]`;
      expect(guide, `README.md's ${c.name} container definition`).toMatch(
        new RegExp(`\\bcommand\\s*=\\s*${hcl.replace(/[[\]().*+?^$|\\]/g, '\\$&')}`),
      );
    }
  });
});
