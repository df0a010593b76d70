import * as z from 'zod/mini';
import type { Settings } from '../domain.js';
import { mysqlDsnProblem, parseMysqlUrl, replaceMysqlHost, toBareAddress } from './datastore-url.js';
import { Rewrite } from './rewrite.js';
import {
  byType,
  list,
  numberOrText,
  optionalBool,
  optionalDuration,
  optionalInt,
  optionalString,
  optionalStruct,
  pipecdDocument,
  requiredString,
  struct,
  validateWith,
} from './schema-kit.js';
import type { YamlSource } from './yaml-document.js';

/**
 * The MySQL address as PipeCD's server builds it (pkg/datastore/mysql BuildDataSourceName) and
 * opens it (go-sql-driver ParseDSN): url required; without `database` the url names the database;
 * with `database` and no credential files, `url/database` must still be one address.
 */
function mysqlProblem(c: {
  url: string;
  database?: string;
  usernameFile?: string;
  passwordFile?: string;
}): { path: string; message: string } | undefined {
  const database = c.database ?? '';
  if (database === '') {
    if (!c.url.includes('/')) return { path: 'database', message: 'is required (or a /database at the end of url)' };
    const problem = mysqlDsnProblem(c.url);
    return problem === undefined ? undefined : { path: 'url', message: `${problem}; the MySQL driver refuses it` };
  }
  if (c.usernameFile && c.passwordFile) return undefined;
  const problem = mysqlDsnProblem(`${c.url}/${database}`);
  if (!problem) return undefined;
  const named = c.url.slice(c.url.lastIndexOf(')') + 1).includes('/');
  return named
    ? {
        path: 'database',
        message: 'is set while url already names a database; PipeCD would join them into an address the MySQL driver refuses',
      }
    : { path: 'url', message: `${problem}; the MySQL driver refuses it` };
}

const mysqlConfig = struct(
  { url: requiredString(), database: optionalString(), usernameFile: optionalString(), passwordFile: optionalString() },
  { unknown: 'allow' },
).check(
  z.superRefine((c, ctx) => {
    const problem = mysqlProblem(c);
    if (problem) ctx.issues.push({ code: 'custom', message: problem.message, path: [problem.path], input: c });
  }),
);

const firestoreConfig = struct(
  {
    namespace: optionalString(),
    environment: optionalString(),
    collectionNamePrefix: optionalString(),
    project: optionalString(),
    credentialsFile: optionalString(),
  },
  { unknown: 'allow' },
);

/** pkg/config/control_plane.go: ControlPlaneDataStore; the server refuses other types at start. */
const datastore = byType({ MYSQL: mysqlConfig, FIRESTORE: z.optional(firestoreConfig) });

/** ControlPlaneFileStore; the S3 store refuses an empty bucket or region at start (pkg/filestore/s3). */
const filestore = byType({
  GCS: optionalStruct({ bucket: optionalString(), credentialsFile: optionalString() }, { unknown: 'allow' }),
  S3: struct(
    {
      bucket: requiredString(),
      region: requiredString(),
      profile: optionalString(),
      credentialsFile: optionalString(),
      roleARN: optionalString(),
      tokenFile: optionalString(),
    },
    { unknown: 'allow' },
  ),
  MINIO: optionalStruct(
    {
      endpoint: optionalString(),
      bucket: optionalString(),
      accessKeyFile: optionalString(),
      secretKeyFile: optionalString(),
      autoCreateBucket: optionalBool(),
    },
    { unknown: 'allow' },
  ),
});

const strict = { unknown: 'refuse' } as const;
const exact = { unknown: 'refuse', match: 'exact' } as const;
/** The fields of a protobuf message under both names jsonpb takes: the proto name and the JSON name. */
const protoFields = (fields: Record<string, z.core.SomeType>) =>
  Object.fromEntries(
    Object.entries(fields).flatMap(([name, type]) => [
      [name, type],
      [name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), type],
    ]),
  );
const s = optionalString;

/**
 * SharedSSOConfig.UnmarshalJSON reads `provider` and `name` by their exact names (a missing one is a
 * panic or an error), then hands the rest to jsonpb, which refuses unknown fields.
 */
const sharedSSOConfig = struct(
  {
    name: z.string({ error: (iss) => (iss.input === undefined ? 'is required' : 'must be a string') }),
    provider: z.enum(['GITHUB', 'GOOGLE', 'OIDC'], {
      error: (iss) => (iss.input === undefined ? 'is required' : 'must be one of GITHUB, GOOGLE, OIDC'),
    }),
    ...protoFields({
      session_ttl: z.optional(numberOrText(z.int(), /^-?[0-9]+$/, 'must be a whole number')),
    }),
    github: optionalStruct(protoFields({ client_id: s(), client_secret: s(), base_url: s(), upload_url: s(), proxy_url: s() }), exact),
    google: optionalStruct(protoFields({ client_id: s(), client_secret: s() }), exact),
    oidc: optionalStruct(
      protoFields({
        client_id: s(),
        client_secret: s(),
        issuer: s(),
        redirect_uri: s(),
        authorization_endpoint: s(),
        token_endpoint: s(),
        user_info_endpoint: s(),
        proxy_url: s(),
        scopes: list(z.string()),
        roles_claim_key: s(),
        username_claim_key: s(),
        avatar_url_claim_key: s(),
      }),
      exact,
    ),
  },
  exact,
);

/**
 * PipeCD's ControlPlaneSpec (pkg/config/control_plane.go) as its decoder reads it: unknown keys are
 * refused at the top, in the spec and in its plain nested structs, and pass inside datastore and
 * filestore (their UnmarshalJSON decodes afresh); plus what the server refuses at start.
 */
export const controlPlaneSchema = pipecdDocument(
  'ControlPlane',
  struct(
    {
      address: optionalString(),
      stateKey: optionalString(),
      datastore,
      filestore,
      cache: optionalStruct({ ttl: optionalDuration() }, strict),
      insightCollector: optionalStruct(
        {
          application: optionalStruct({ enabled: optionalBool(), schedule: optionalString() }, strict),
          deployment: optionalStruct({ enabled: optionalBool(), schedule: optionalString(), chunkMaxCount: optionalInt() }, strict),
        },
        strict,
      ),
      projects: list(
        struct(
          {
            id: optionalString(),
            desc: optionalString(),
            staticAdmin: optionalStruct({ username: optionalString(), passwordHash: optionalString() }, strict),
          },
          strict,
        ),
      ),
      sharedSSOConfigs: list(sharedSSOConfig),
    },
    strict,
  ),
);

/** Paths of the files holding the MySQL credentials, when they come from inputs. */
export interface MysqlCredentialFiles {
  readonly usernameFile: string;
  readonly passwordFile: string;
}

/**
 * Rewrites the datastore address in the source text: the host (DATASTORE_HOST) and, when
 * credentials come from files, the url reduced to a bare `host:port` with the database moved to its
 * own key. Returns the rewritten config, or undefined when there is nothing to rewrite.
 */
export function rewriteDatastore(
  source: YamlSource,
  settings: Settings,
  credentials: MysqlCredentialFiles | undefined,
): YamlSource | undefined {
  if (settings.datastoreHost === undefined && credentials === undefined) return undefined;
  const why = settings.datastoreHost !== undefined ? 'DATASTORE_HOST is set' : 'MYSQL_USERNAME and MYSQL_PASSWORD are set';
  const rewrite = new Rewrite(source, why);
  const datastorePath = rewrite.path(['spec', 'datastore']) ?? ['spec', 'datastore'];
  const typePath = rewrite.path(['spec', 'datastore', 'type']);
  if (!typePath || rewrite.value(typePath) !== 'MYSQL')
    throw rewrite.problem(typePath ?? [...datastorePath, 'type'], `must be MYSQL when ${why}`);
  const configPath = rewrite.path(['spec', 'datastore', 'config']);
  if (!configPath) throw rewrite.problem([...datastorePath, 'config'], 'must be a mapping');
  const urlPath = rewrite.path(['spec', 'datastore', 'config', 'url']);
  const url = urlPath && rewrite.value(urlPath);
  if (typeof url !== 'string' || !parseMysqlUrl(url)) {
    throw rewrite.problem(urlPath ?? [...configPath, 'url'], 'must be user:password@tcp(host:port)[/database] or host:port');
  }
  let next = settings.datastoreHost === undefined ? url : replaceMysqlHost(url, settings.datastoreHost)!;
  if (credentials) {
    const bare = toBareAddress(next);
    if (!bare) throw rewrite.problem(urlPath!, 'cannot hold query parameters when MYSQL_USERNAME/MYSQL_PASSWORD are used');
    if (bare.database !== undefined) {
      const databasePath = rewrite.path(['spec', 'datastore', 'config', 'database']);
      if (databasePath && rewrite.value(databasePath) !== '') {
        throw rewrite.problem(
          databasePath,
          'is set while url already names a database; PipeCD would join them into an address the MySQL driver refuses',
        );
      }
      rewrite.set(configPath, 'database', bare.database);
    }
    next = bare.address;
    rewrite.set(configPath, 'usernameFile', credentials.usernameFile);
    rewrite.set(configPath, 'passwordFile', credentials.passwordFile);
  }
  if (next !== url) rewrite.set(configPath, 'url', next);
  return rewrite.apply();
}

export function validateControlPlane(source: YamlSource): void {
  validateWith(controlPlaneSchema, source, source.plain);
}
