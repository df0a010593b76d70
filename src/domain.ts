/** The programs the bootstrapper can start. */
export type RoleName = 'server' | 'ops' | 'gateway' | 'piped' | 'launcher';

/** How the bytes of an input are to be read before use. */
export type Encoding = 'raw' | 'base64' | 'auto';

/** What an input holds, which decides how it is decoded, checked and rewritten. */
export type InputKind = 'control-plane-config' | 'envoy-config' | 'piped-config' | 'encryption-key' | 'piped-key' | 'mysql-credential';

export type InputName =
  'CONTROL_PLANE_CONFIG' | 'ENCRYPTION_KEY' | 'ENVOY_CONFIG' | 'PIPED_CONFIG' | 'PIPED_KEY' | 'MYSQL_USERNAME' | 'MYSQL_PASSWORD';

export interface InputSpec {
  readonly name: InputName;
  readonly kind: InputKind;
  /** Name of the file written into the output directory. */
  readonly fileName: string;
  readonly defaultEncoding: Encoding;
}

export interface RoleInput {
  readonly spec: InputSpec;
  readonly required: boolean;
}

/** A Secrets Manager reference in the ECS `valueFrom` grammar. */
export interface SecretsManagerRef {
  readonly service: 'secretsmanager';
  /** The reference as written, for messages. It is an identifier, never a value. */
  readonly text: string;
  /** ARN (full or partial) or name, as GetSecretValue takes it. */
  readonly secretId: string;
  /** From the ARN; undefined for a bare name, which uses the default region. */
  readonly region: string | undefined;
  readonly jsonKey: string | undefined;
  readonly versionStage: string | undefined;
  readonly versionId: string | undefined;
}

/** An SSM Parameter Store reference: an ARN as ECS writes it, or `ssm:NAME`, with an optional `:VERSION` or `:LABEL`. */
export interface SsmParameterRef {
  readonly service: 'ssm';
  readonly text: string;
  /** As GetParameters takes it, with the selector: `/pipecd/config`, `/pipecd/config:3`, `/pipecd/config:live`. */
  readonly name: string;
  /** The name without the selector, which is what GetParameters answers with. */
  readonly parameter: string;
  /** From the ARN; undefined for `ssm:NAME`, which uses the default region. */
  readonly region: string | undefined;
  readonly partition: string | undefined;
}

export type SecretRef = SecretsManagerRef | SsmParameterRef;

/** Where one input comes from: exactly one of these per input. */
export type InputOrigin =
  | { readonly type: 'env'; readonly variable: string }
  | { readonly type: 'secret'; readonly ref: SecretRef; readonly via: string }
  | { readonly type: 'file'; readonly path: string; readonly via: string };

export interface InputSource {
  readonly spec: InputSpec;
  readonly origin: InputOrigin;
  readonly encoding: Encoding;
  /** Set by the reader for env inputs; secrets and files are read later. */
  readonly value?: Buffer;
}

/** An input whose bytes are in hand, still encoded as they came. */
export interface ResolvedInput {
  readonly spec: InputSpec;
  readonly origin: InputOrigin;
  readonly encoding: Encoding;
  readonly bytes: Buffer;
  /** A secret that holds SecretBinary rather than SecretString (a program reading the secret itself may take only the latter). */
  readonly secretBinary?: boolean;
}

/** Settings that only some roles take; each role lists its own. */
export type RoleSettingName = 'DATASTORE_HOST' | 'CACHE_ADDRESS' | 'LAUNCHER_CONFIG';

/**
 * How the launcher gets its config: `source` hands it the config's own source (it re-reads it every
 * minute and restarts piped when it changed), `file` a file written once, `auto` the source when the
 * launcher can read it as it is, else the file.
 */
export type LauncherConfigMode = 'auto' | 'source' | 'file';

/** A numeric user and group, as files are owned. */
export interface Owner {
  readonly uid: number;
  readonly gid: number;
}

/** The values of the role settings, as the render step and the program's flags use them. */
export interface Settings {
  readonly datastoreHost: string | undefined;
  readonly cacheAddress: string | undefined;
  readonly launcherConfig?: LauncherConfigMode;
  /** The region an AWS SDK in the program uses (AWS_REGION, else AWS_DEFAULT_REGION), for a role that may hand it a secret. */
  readonly sdkRegion?: string;
}

/**
 * Where the program finds an input: a file (written by the bootstrapper, or the user's own file
 * handed over as it is), or a secret the program reads by itself.
 */
export type InputLocation =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'secretsmanager'; readonly secretId: string }
  | { readonly kind: 'ssm'; readonly name: string };

/** What a role needs and which flags its program gets; src/roles/ holds one per role. */
export interface RoleSpec {
  readonly name: RoleName;
  readonly summary: string;
  readonly inputs: readonly RoleInput[];
  readonly settings: readonly RoleSettingName[];
  /** Program names searched on PATH, in order, when PIPECD_BINARY is not set. */
  readonly programs: readonly string[];
  /**
   * Whether the program starts processes of its own (piped: git, kubectl, terraform). Their orphans
   * become zombies unless PID 1 reaps them, so such a program is never left as PID 1 without an init.
   */
  readonly startsChildren: boolean;
  /** The user the program runs as in its official image (PipeCD's, envoy's); `write` gives the files to it. */
  readonly imageUser: Owner;
  /**
   * The input the program re-reads from its own source while it runs (the launcher's config), which
   * can be handed over as a source instead of a file written once: see render/own-source.ts.
   */
  readonly rereads?: InputName;
  /** The program's arguments, given where each input is for it. */
  args(where: ReadonlyMap<InputName, InputLocation>, settings: Settings): string[];
}

/** A file the program will be given, fully rendered and validated. */
export interface RenderedFile {
  readonly input: InputName;
  readonly path: string;
  readonly contents: Buffer;
}

/** Everything needed to start the program, decided before anything is written. */
export interface LaunchPlan {
  readonly role: RoleName;
  readonly files: readonly RenderedFile[];
  /** Arguments after the program name. */
  readonly args: readonly string[];
}

/** Human description of where an input came from, safe to log. */
export function describeOrigin(name: string, origin: InputOrigin): string {
  switch (origin.type) {
    case 'env':
      return `${name} (env ${origin.variable})`;
    case 'secret':
      return `${name} (${origin.ref.service === 'ssm' ? 'parameter' : 'secret'} ${origin.ref.text} from ${origin.via})`;
    case 'file':
      return `${name} (file ${origin.path} from ${origin.via})`;
  }
}
