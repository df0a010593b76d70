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
export interface SecretRef {
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
}

/** Settings that only some roles take; each role lists its own. */
export type RoleSettingName = 'DATASTORE_HOST' | 'CACHE_ADDRESS';

/** The values of the role settings, as the render step and the program's flags use them. */
export interface Settings {
  readonly datastoreHost: string | undefined;
  readonly cacheAddress: string | undefined;
}

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
  /** The program's arguments, given the path of each file written for it. */
  args(files: ReadonlyMap<InputName, string>, settings: Settings): string[];
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
      return `${name} (secret ${origin.ref.text} from ${origin.via})`;
    case 'file':
      return `${name} (file ${origin.path} from ${origin.via})`;
  }
}
