/**
 * A control-plane config is refused only where PipeCD's server would not start with it, and the
 * refusal names the YAML path, line and column with the reason, so that an operator can fix the one
 * key at fault: the MySQL address rules of BuildDataSourceName and the driver, the string fields of
 * the datastore and filestore configs, the shared SSO fields, and the datastore rewrite
 * (DATASTORE_HOST, MYSQL_USERNAME/MYSQL_PASSWORD), which must say which input made it necessary and
 * leave every byte but its own edit as it was. The Go oracle confirms PipeCD's side of every row.
 */
import { describe, expect, inject, it } from 'vitest';
import { rewriteDatastore, validateControlPlane } from '../../src/render/control-plane.js';
import { parseYaml } from '../../src/render/yaml-document.js';
import { BASE_CP, CP } from '../helpers/config-rules.js';
import { failureOf } from '../helpers/failure.js';
import { judge } from '../helpers/oracle.js';

const validate = (text: string) => validateControlPlane(parseYaml(text, CP));
const refusal = (text: string) => failureOf(() => validate(text));
const refused = (where: string) => ({ exitCode: 65, message: `${CP}: ${where}`, hint: undefined });

/** BASE_CP with the datastore config's two lines (url, database) replaced. */
const mysql = (config: string) =>
  BASE_CP.replace('      url: sample:password@tcp(pipecd-mysql:3306)\n      database: quickstart\n', config);
const filestore = (block: string) =>
  BASE_CP.replace('    type: S3\n    config:\n      bucket: example\n      region: ap-northeast-1\n', block);
const sso = (entry: string) => `${BASE_CP}  sharedSSOConfigs:\n    - name: x\n      provider: GITHUB\n${entry}`;

const REFUSED: [what: string, config: string, where: string][] = [
  [
    'a url with no / and no database',
    mysql('      url: sample:password@tcp(pipecd-mysql:3306)\n'),
    'spec.datastore.config.database (line 7, column 7): is required (or a /database at the end of url)',
  ],
  [
    'a url naming the database whose address is not closed',
    mysql('      url: sample:password@tcp(pipecd-mysql:3306/quickstart\n'),
    'spec.datastore.config.url (line 7, column 12): has an address not closed by ) before the database name; the MySQL driver refuses it',
  ],
  [
    'database with only usernameFile: PipeCD still joins url/database',
    mysql('      url: u:p@tcp(h:3306\n      database: q\n      usernameFile: /f\n'),
    'spec.datastore.config.url (line 7, column 12): has an address not closed by ) before the database name; the MySQL driver refuses it',
  ],
  [
    'database with only passwordFile',
    mysql('      url: u:p@tcp(h:3306\n      database: q\n      passwordFile: /f\n'),
    'spec.datastore.config.url (line 7, column 12): has an address not closed by ) before the database name; the MySQL driver refuses it',
  ],
  [
    'a / inside the address but none after it: the url is at fault, not database',
    mysql('      url: u:p@unix(/tmp/)x\n      database: q\n'),
    'spec.datastore.config.url (line 7, column 12): has an unescaped ) in the address; the MySQL driver refuses it',
  ],
  [
    'a firestore namespace that is a number',
    BASE_CP.replace(/ {4}type: MYSQL\n(?: {6}.*\n| {4}config:\n)+/, '    type: FIRESTORE\n    config:\n      namespace: 1\n'),
    'spec.datastore.config.namespace (line 7, column 18): must be a string',
  ],
  [
    'a GCS bucket that is a number',
    filestore('    type: GCS\n    config:\n      bucket: 1\n'),
    'spec.filestore.config.bucket (line 12, column 15): must be a string',
  ],
  [
    'a MINIO endpoint that is a number',
    filestore('    type: MINIO\n    config:\n      endpoint: 1\n'),
    'spec.filestore.config.endpoint (line 12, column 17): must be a string',
  ],
  [
    'a shared SSO name that is a number',
    `${BASE_CP}  sharedSSOConfigs:\n    - name: 1\n      provider: GITHUB\n`,
    'spec.sharedSSOConfigs[0].name (line 15, column 13): must be a string',
  ],
  [
    'a sessionTtl that is neither a number nor a string',
    sso('      sessionTtl: true\n'),
    'spec.sharedSSOConfigs[0].sessionTtl (line 17, column 19): must be a whole number',
  ],
  [
    'a sessionTtl string with a leading non-digit',
    sso('      sessionTtl: "x1"\n'),
    'spec.sharedSSOConfigs[0].sessionTtl (line 17, column 19): must be a whole number',
  ],
  [
    'a sessionTtl string with a trailing non-digit',
    sso('      sessionTtl: "1x"\n'),
    'spec.sharedSSOConfigs[0].sessionTtl (line 17, column 19): must be a whole number',
  ],
];

const ACCEPTED: [what: string, config: string][] = [
  [
    'database with both credential files: the url is a bare host:port',
    mysql('      url: h:3306\n      database: q\n      usernameFile: /f\n      passwordFile: /g\n'),
  ],
  ['a sessionTtl as a quoted whole number', sso('      sessionTtl: "24"\n')],
  ['a negative sessionTtl as a quoted whole number', sso('      session_ttl: "-5"\n')],
  [
    'google and oidc SSO configs with proto and JSON field names',
    `${BASE_CP}  sharedSSOConfigs:\n    - name: g\n      provider: GOOGLE\n      google: {client_id: a, clientSecret: b}\n    - name: o\n      provider: OIDC\n      oidc: {clientId: a, client_secret: b, issuer: i, scopes: [openid]}\n`,
  ],
];

describe('control-plane refusals name the key, line, column and reason', () => {
  it.each(REFUSED)('refused: %s', (_, config, where) => expect(refusal(config)).toEqual(refused(where)));

  it.each(ACCEPTED)('accepted: %s', (_, config) => expect(validate(config)).toBeUndefined());

  it('PipeCD refuses every refused row and starts with every accepted one', () => {
    const refusedRows = [...REFUSED].map((r) => r[1]);
    const verdicts = judge(inject('oracle'), 'controlplane', [...refusedRows, ...ACCEPTED.map((r) => r[1])]);
    expect(verdicts.map((v) => v.ok)).toEqual([...refusedRows.map(() => false), ...ACCEPTED.map(() => true)]);
  });
});

const CREDS = { usernameFile: '/u', passwordFile: '/p' };
const HOST = { datastoreHost: 'db', cacheAddress: undefined };
const NO_HOST = { datastoreHost: undefined, cacheAddress: undefined };
const rewrite = (text: string, settings: typeof HOST | typeof NO_HOST, creds?: typeof CREDS) =>
  rewriteDatastore(parseYaml(text, CP), settings, creds);

const REWRITE_REFUSED: [
  what: string,
  config: string,
  settings: typeof HOST | typeof NO_HOST,
  creds: typeof CREDS | undefined,
  where: string,
][] = [
  [
    'a FIRESTORE datastore with credentials',
    BASE_CP.replace('type: MYSQL', 'type: FIRESTORE'),
    NO_HOST,
    CREDS,
    'spec.datastore.type (line 5, column 11): must be MYSQL when MYSQL_USERNAME and MYSQL_PASSWORD are set',
  ],
  [
    'a FIRESTORE datastore with DATASTORE_HOST',
    BASE_CP.replace('type: MYSQL', 'type: FIRESTORE'),
    HOST,
    undefined,
    'spec.datastore.type (line 5, column 11): must be MYSQL when DATASTORE_HOST is set',
  ],
  [
    'a datastore spelled dataStore without a type: the path keeps the spelling',
    BASE_CP.replace('datastore:', 'dataStore:').replace('    type: MYSQL\n', ''),
    HOST,
    undefined,
    'spec.dataStore.type (line 5, column 5): must be MYSQL when DATASTORE_HOST is set',
  ],
  [
    'no datastore at all',
    BASE_CP.replace(/ {2}datastore:\n(?: {4}.*\n)+/, ''),
    HOST,
    undefined,
    'spec.datastore.type (line 4, column 3): must be MYSQL when DATASTORE_HOST is set',
  ],
  [
    'a MYSQL datastore without config',
    BASE_CP.replace('    config:\n      url: sample:password@tcp(pipecd-mysql:3306)\n      database: quickstart\n', '    extra: 1\n'),
    HOST,
    undefined,
    'spec.datastore.config (line 5, column 5): must be a mapping',
  ],
  [
    'a config without url',
    mysql('      database: quickstart\n'),
    HOST,
    undefined,
    'spec.datastore.config.url (line 7, column 7): must be user:password@tcp(host:port)[/database] or host:port',
  ],
  [
    'a url with query parameters, with credentials',
    mysql('      url: u:p@tcp(h:3306)/db?x=y\n'),
    NO_HOST,
    CREDS,
    'spec.datastore.config.url (line 7, column 12): cannot hold query parameters when MYSQL_USERNAME/MYSQL_PASSWORD are used',
  ],
  [
    'a url naming a database while database is set, with credentials',
    mysql('      url: u:p@tcp(h:3306)/db\n      database: q\n'),
    NO_HOST,
    CREDS,
    'spec.datastore.config.database (line 8, column 17): is set while url already names a database; PipeCD would join them into an address the MySQL driver refuses',
  ],
];

const REWRITTEN: [
  what: string,
  config: string,
  settings: typeof HOST | typeof NO_HOST,
  creds: typeof CREDS | undefined,
  expected: (t: string) => string,
][] = [
  [
    'an empty database is not set: the url database moves into it',
    mysql('      url: u:p@tcp(h:3306)/db\n      database: ""\n'),
    NO_HOST,
    CREDS,
    (t) =>
      t.replace(
        'url: u:p@tcp(h:3306)/db\n      database: ""\n',
        'url: h:3306\n      database: "db"\n      usernameFile: /u\n      passwordFile: /p\n',
      ),
  ],
  [
    'a url already bare: only the file keys are added, the url keeps its block style',
    mysql('      url: >-\n        h:3306\n      database: q\n'),
    NO_HOST,
    CREDS,
    (t) => t.replace('      database: q\n', '      database: q\n      usernameFile: /u\n      passwordFile: /p\n'),
  ],
  [
    'DATASTORE_HOST naming the host the url has: nothing is edited',
    mysql('      url: >-\n        u:p@tcp(db:3306)/q\n'),
    HOST,
    undefined,
    (t) => t,
  ],
];

describe('the datastore rewrite refuses what it cannot do, naming the input that asked for it', () => {
  it.each(REWRITE_REFUSED)('refused: %s', (_, config, settings, creds, where) =>
    expect(failureOf(() => rewrite(config, settings, creds))).toEqual(refused(where)),
  );

  it.each(REWRITTEN)('rewritten: %s', (_, config, settings, creds, expected) => {
    const out = rewrite(config, settings, creds)!;
    expect(out.text).toBe(expected(config));
    validate(out.text);
  });

  it('nothing to rewrite without DATASTORE_HOST or credentials', () => {
    expect(rewrite(BASE_CP.replace('type: MYSQL', 'type: FIRESTORE'), NO_HOST, undefined)).toBeUndefined();
  });

  it('PipeCD starts with every rewritten config', () => {
    const outs = REWRITTEN.map(([, config, settings, creds]) => rewrite(config, settings, creds)!.text);
    expect(judge(inject('oracle'), 'controlplane', outs).map((v) => v.ok)).toEqual(REWRITTEN.map(() => true));
  });
});
