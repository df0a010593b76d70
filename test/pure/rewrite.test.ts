/**
 * Rewrites change only their own bytes: the expected output of each row is the input with exactly
 * the intended edit made by string replacement, and the rewrite must produce it byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { rewriteDatastore, validateControlPlane } from '../../src/render/control-plane.js';
import { usePipedKeyFile, validatePiped } from '../../src/render/piped.js';
import { parseYaml } from '../../src/render/yaml-document.js';

const CP = 'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG)';
const PIPED = 'PIPED_CONFIG (env PIPED_CONFIG)';
const CREDS = { usernameFile: '/tmp/pipecd-bootstrap/mysql-username', passwordFile: '/tmp/pipecd-bootstrap/mysql-password' };

const head = (datastore: string) => `apiVersion: "pipecd.dev/v1beta1"   # quoted, with a comment
kind: ControlPlane
spec:
  stateKey: '${'k'.repeat(150)}'
${datastore}  filestore: {type: S3, config: {bucket: b, region: r}}
  insightCollector:
    deployment: {chunkMaxCount: 1e3, schedule: "0755"}
`;
const BLOCK = `  datastore:
    type: MYSQL    # the database
    config:
      url: "sample:password@tcp(pipecd-mysql:3306)"  # keep me
      database: quickstart
`;

type Row = [name: string, input: string, settings: { datastoreHost?: string; creds?: boolean }, expected: (input: string) => string];

const ROWS: Row[] = [
  [
    'DATASTORE_HOST: the host inside the quoted url, nothing else',
    head(BLOCK),
    { datastoreHost: 'db.internal' },
    (t) => t.replace('tcp(pipecd-mysql:3306)', 'tcp(db.internal:3306)'),
  ],
  [
    'credentials: url reduced to host:port, the two file keys added at the indent of their siblings',
    head(BLOCK),
    { creds: true },
    (t) =>
      t
        .replace('"sample:password@tcp(pipecd-mysql:3306)"', '"pipecd-mysql:3306"')
        .replace(
          '      database: quickstart\n',
          `      database: quickstart\n      usernameFile: ${CREDS.usernameFile}\n      passwordFile: ${CREDS.passwordFile}\n`,
        ),
  ],
  [
    'credentials in a flow mapping, the database moved out of the url',
    head(`  datastore: {type: MYSQL, config: {url: 'u:p@tcp(h:3306)/quickstart'}}\n`),
    { creds: true, datastoreHost: 'db' },
    (t) =>
      t.replace(
        `{url: 'u:p@tcp(h:3306)/quickstart'}`,
        `{url: 'db:3306', database: quickstart, usernameFile: ${CREDS.usernameFile}, passwordFile: ${CREDS.passwordFile}}`,
      ),
  ],
  [
    'a key spelled dataStore and URL (found as PipeCD finds them)',
    head(BLOCK.replace('datastore:', 'dataStore:').replace('url:', 'URL:')),
    { datastoreHost: 'db' },
    (t) => t.replace('pipecd-mysql:3306', 'db:3306'),
  ],
  [
    'a duplicate url: the one that wins is rewritten',
    head(BLOCK.replace('      database:', '      url: x:y@tcp(old:1)\n      database:')),
    { datastoreHost: 'db' },
    (t) => t.replace('tcp(old:1)', 'tcp(db:1)'),
  ],
  [
    'a url that comes through a merge key is rewritten where it is anchored',
    head(`  datastore:\n    type: MYSQL\n    config:\n      <<: &base {url: "u:p@tcp(h:3306)"}\n      database: q\n`),
    { datastoreHost: 'db' },
    (t) => t.replace('tcp(h:3306)', 'tcp(db:3306)'),
  ],
];

describe('datastore rewrites edit the source text in place', () => {
  it.each(ROWS)('%s', (_, input, s, expected) => {
    const source = parseYaml(input, CP);
    validateControlPlane(source);
    const out = rewriteDatastore(source, { datastoreHost: s.datastoreHost, cacheAddress: undefined }, s.creds ? CREDS : undefined)!;
    expect(out.text).toBe(expected(input));
    validateControlPlane(out);
  });

  it('refuses a url whose anchor is used elsewhere too, saying why', () => {
    const input = head(`  datastore:\n    type: MYSQL\n    config:\n      url: &u u:p@tcp(h:3306)\n      database: q\n  address: *u\n`);
    expect(() => rewriteDatastore(parseYaml(input, CP), { datastoreHost: 'db', cacheAddress: undefined }, undefined)).toThrow(
      `${CP}: a value to rewrite (DATASTORE_HOST is set) is shared through a YAML anchor with other places in the config; rewriting it would change them too`,
    );
  });
});

const PIPED_HEAD = `apiVersion: pipecd.dev/v1beta1
kind: Piped
spec:
  projectID: p   # project
  pipedID: id
  apiAddress: "api:443"
`;
const KEY = '/tmp/pipecd-bootstrap/piped-key';
const PIPED_ROWS: [string, string, (t: string) => string][] = [
  [
    'pipedKeyData removed with its line, pipedKeyFile added',
    PIPED_HEAD + '  pipedKeyData: c2VjcmV0   # inline\n  syncInterval: 1m\n',
    (t) => t.replace('  pipedKeyData: c2VjcmV0   # inline\n', '') + `  pipedKeyFile: ${KEY}\n`,
  ],
  [
    'pipedKeyFile set in place',
    PIPED_HEAD + "  pipedKeyFile: 'etc/piped/key'\n  git: {username: u}\n",
    (t) => t.replace("'etc/piped/key'", `'${KEY}'`),
  ],
  [
    'pipedkeydata (any case) removed',
    PIPED_HEAD + '  pipedkeydata: abc\n',
    (t) => t.replace('  pipedkeydata: abc\n', '') + `  pipedKeyFile: ${KEY}\n`,
  ],
  [
    'a block-scalar pipedKeyData',
    PIPED_HEAD.replace('  pipedID: id\n', '  pipedKeyData: |\n    c2VjcmV0\n  pipedID: id\n'),
    (t) => t.replace('  pipedKeyData: |\n    c2VjcmV0\n', '') + `  pipedKeyFile: ${KEY}\n`,
  ],
  [
    'a flow spec',
    `apiVersion: pipecd.dev/v1beta1\nkind: Piped\nspec: {projectID: p, pipedKeyData: abc, pipedID: i, apiAddress: a}\n`,
    (t) => t.replace(', pipedKeyData: abc', '').replace('apiAddress: a}', `apiAddress: a, pipedKeyFile: ${KEY}}`),
  ],
  ['no final newline', (PIPED_HEAD + '  pipedKeyFile: k').trimEnd(), (t) => t.replace('pipedKeyFile: k', `pipedKeyFile: ${KEY}`)],
];

describe('the piped key rewrite edits the source text in place', () => {
  it.each(PIPED_ROWS)('%s', (_, input, expected) => {
    const out = usePipedKeyFile(parseYaml(input, PIPED), KEY);
    expect(out.text).toBe(expected(input));
    validatePiped(out);
  });

  it('refuses a pipedKeyData that comes through a merge key, saying why', () => {
    const input = `x-common: &c {pipedKeyData: abc}\n${PIPED_HEAD}  <<: *c\n`;
    expect(() => usePipedKeyFile(parseYaml(input, PIPED), KEY)).toThrow(
      `${PIPED}: spec (line 8, column 3): has a YAML merge key that brings in pipedKeyData, which cannot be removed when PIPED_KEY is set; write the mapping without it`,
    );
  });
});
