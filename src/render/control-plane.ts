import * as z from 'zod/mini';
import { isMap, type Document } from 'yaml';
import type { Settings } from '../domain.js';
import { list, mapping, optionalString, pipecdDocument, requiredString, strictMapping, validateWith } from './schema-kit.js';
import { parseMysqlUrl, replaceMysqlHost, toBareAddress } from './datastore-url.js';
import { problemAt, toPlain, type YamlSource } from './yaml-document.js';

const mysqlConfig = mapping({
  url: requiredString(),
  database: optionalString(),
  usernameFile: optionalString(),
  passwordFile: optionalString(),
}).check(
  z.refine((c) => Boolean(c.database) || /\/[^/?]+/.test(c.url.slice(c.url.lastIndexOf(')') + 1)), {
    message: 'is required (or a /database at the end of url)',
    path: ['database'],
  }),
);

const byType = (types: readonly string[], options: [z.core.$ZodTypeDiscriminable, ...z.core.$ZodTypeDiscriminable[]]) =>
  z.discriminatedUnion('type', options, {
    error: (iss) => (iss.code === 'invalid_union' ? `must be one of ${types.join(', ')}` : undefined),
  });

const datastore = byType(
  ['MYSQL', 'FIRESTORE'],
  [mapping({ type: z.literal('MYSQL'), config: mysqlConfig }), mapping({ type: z.literal('FIRESTORE'), config: z.optional(mapping({})) })],
);

const filestore = byType(
  ['GCS', 'S3', 'MINIO'],
  [
    mapping({ type: z.literal('S3'), config: mapping({ bucket: requiredString(), region: requiredString() }) }),
    mapping({ type: z.literal('GCS'), config: z.optional(mapping({})) }),
    mapping({ type: z.literal('MINIO'), config: z.optional(mapping({})) }),
  ],
);

/** The keys of PipeCD's ControlPlaneSpec; PipeCD refuses unknown fields too. */
export const controlPlaneSchema = pipecdDocument(
  'ControlPlane',
  strictMapping({
    address: optionalString(),
    stateKey: optionalString(),
    datastore,
    filestore,
    cache: z.optional(mapping({})),
    insightCollector: z.optional(mapping({})),
    projects: z.optional(list(mapping({ id: requiredString() }))),
    sharedSSOConfigs: z.optional(list(mapping({ name: requiredString(), provider: requiredString() }))),
  }),
);

/** Paths of the files holding the MySQL credentials, when they come from inputs. */
export interface MysqlCredentialFiles {
  readonly usernameFile: string;
  readonly passwordFile: string;
}

const DATASTORE_CONFIG = ['spec', 'datastore', 'config'] as const;

function datastoreIsMysql(doc: Document.Parsed): boolean {
  return doc.getIn(['spec', 'datastore', 'type']) === 'MYSQL';
}

/**
 * Rewrites the datastore address in place: the host (DATASTORE_HOST) and, when credentials come
 * from files, the url reduced to a bare `host:port` with the database moved to its own key.
 */
export function rewriteDatastore(source: YamlSource, settings: Settings, credentials: MysqlCredentialFiles | undefined): boolean {
  if (settings.datastoreHost === undefined && credentials === undefined) return false;
  const { doc } = source;
  const why = settings.datastoreHost !== undefined ? 'DATASTORE_HOST is set' : 'MYSQL_USERNAME and MYSQL_PASSWORD are set';
  if (!datastoreIsMysql(doc)) {
    throw problemAt(source, ['spec', 'datastore', 'type'], `must be MYSQL when ${why}`);
  }
  if (!isMap(doc.getIn(DATASTORE_CONFIG, true))) throw problemAt(source, [...DATASTORE_CONFIG], 'must be a mapping');
  const url = doc.getIn([...DATASTORE_CONFIG, 'url']);
  if (typeof url !== 'string' || !parseMysqlUrl(url)) {
    throw problemAt(source, [...DATASTORE_CONFIG, 'url'], 'must be user:password@tcp(host:port)[/database] or host:port');
  }
  let next = settings.datastoreHost === undefined ? url : replaceMysqlHost(url, settings.datastoreHost)!;
  if (credentials) {
    const bare = toBareAddress(next);
    if (!bare)
      throw problemAt(source, [...DATASTORE_CONFIG, 'url'], 'cannot hold query parameters when MYSQL_USERNAME/MYSQL_PASSWORD are used');
    const database = doc.getIn([...DATASTORE_CONFIG, 'database']);
    if (bare.database !== undefined) {
      if (database !== undefined && database !== bare.database) {
        throw problemAt(source, [...DATASTORE_CONFIG, 'database'], 'differs from the database named in url');
      }
      doc.setIn([...DATASTORE_CONFIG, 'database'], bare.database);
    }
    next = bare.address;
    doc.setIn([...DATASTORE_CONFIG, 'usernameFile'], credentials.usernameFile);
    doc.setIn([...DATASTORE_CONFIG, 'passwordFile'], credentials.passwordFile);
  }
  doc.setIn([...DATASTORE_CONFIG, 'url'], next);
  return true;
}

export function validateControlPlane(source: YamlSource): void {
  validateWith(controlPlaneSchema, source, toPlain(source));
}
