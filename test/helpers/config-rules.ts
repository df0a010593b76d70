/**
 * The rule tables of test/pure/config-reading.test.ts: configs written to test one of PipeCD's
 * decoding rules each. test/pure/oracle.property.test.ts checks every row against the Go oracle.
 */
export const CP = 'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG)';
export const BASE_CP = `apiVersion: pipecd.dev/v1beta1
kind: ControlPlane
spec:
  datastore:
    type: MYSQL
    config:
      url: sample:password@tcp(pipecd-mysql:3306)
      database: quickstart
  filestore:
    type: S3
    config:
      bucket: example
      region: ap-northeast-1
`;
export const BASE_PIPED = `apiVersion: pipecd.dev/v1beta1
kind: Piped
spec:
  projectID: test-project
  pipedID: test-piped
  pipedKeyFile: etc/piped/key
  apiAddress: your-pipecd.domain
`;

/** Control-plane configs PipeCD loads and starts with, each written to test one decoding rule. */
export const CP_ACCEPTED: [string, string][] = [
  [
    'keys matched case-insensitively (dataStore, apiversion, Spec)',
    BASE_CP.replace('apiVersion', 'apiversion').replace('spec:', 'Spec:').replace('datastore:', 'dataStore:'),
  ],
  ['a null value is not set', BASE_CP + '  stateKey:\n  cache:\n  address: ~\n  projects:\n'],
  ['a duplicate key: the last wins', BASE_CP.replace('kind: ControlPlane', 'kind: Piped\nkind: ControlPlane')],
  ['a trailing ---', BASE_CP + '---\n'],
  ['a second document is ignored', BASE_CP + '---\nkind: [ not even valid\n'],
  ['an anchor and an alias', BASE_CP + '  stateKey: &k abc\n  address: *k\n'],
  ['a merge key after a key overrides it (go-yaml v2)', BASE_CP + '  stateKey: 1\n  <<: {stateKey: abc}\n'],
  [
    'YAML 1.1 scalars that Go reads as strings: e3, ., 1:20, 2001-12-14',
    BASE_CP + '  stateKey: e3\n  address: 1:20\n  projects:\n    - id: 2001-12-14\n      desc: .\n',
  ],
  [
    'unknown keys inside datastore and its config',
    BASE_CP.replace('      database: quickstart\n', '      database: quickstart\n      poolSize: 3\n    extra: 1\n'),
  ],
  [
    'a url that names the database, without database',
    BASE_CP.replace('(pipecd-mysql:3306)', '(pipecd-mysql:3306)/quickstart').replace('      database: quickstart\n', ''),
  ],
  ['a firestore datastore without config', BASE_CP.replace(/ {4}type: MYSQL\n(?: {6}.*\n| {4}config:\n)+/, '    type: FIRESTORE\n')],
  [
    'insightCollector, cache and projects with their own keys',
    BASE_CP +
      '  cache:\n    ttl: 5m\n  insightCollector:\n    application:\n      enabled: yes\n    deployment:\n      chunkMaxCount: 1e3\n  projects:\n    - id: p\n      desc: d\n      staticAdmin: {username: u, passwordHash: h}\n',
  ],
  [
    'a shared SSO config with proto and JSON field names',
    BASE_CP +
      '  sharedSSOConfigs:\n    - name: github\n      provider: GITHUB\n      sessionTtl: 24\n      github: {client_id: a, clientSecret: b}\n',
  ],
];

/** Control-plane configs PipeCD refuses at load or at server start, with the exact error line. */
export const CP_REFUSED: [string, string, string][] = [
  [
    'an unknown key in cache',
    BASE_CP + '  cache:\n    ttl: 5m\n    size: 3\n',
    'spec.cache.size (line 16, column 5): is not a known key here',
  ],
  [
    'an unknown key in projects[]',
    BASE_CP + '  projects:\n    - id: p\n      admin: x\n',
    'spec.projects[0].admin (line 16, column 7): is not a known key here',
  ],
  [
    'an unknown key in insightCollector',
    BASE_CP + '  insightCollector:\n    weekly: {}\n',
    'spec.insightCollector.weekly (line 15, column 5): is not a known key here',
  ],
  [
    'an unknown sharedSSOConfigs provider',
    BASE_CP + '  sharedSSOConfigs:\n    - name: x\n      provider: GITLAB\n',
    'spec.sharedSSOConfigs[0].provider (line 16, column 17): must be one of GITHUB, GOOGLE, OIDC',
  ],
  [
    'a sharedSSOConfig without name',
    BASE_CP + '  sharedSSOConfigs:\n    - provider: GITHUB\n',
    'spec.sharedSSOConfigs[0].name (line 15, column 7): is required',
  ],
  [
    'an S3 filestore without region',
    BASE_CP.replace('      region: ap-northeast-1\n', ''),
    'spec.filestore.config.region (line 12, column 7): is required',
  ],
  [
    'a string where PipeCD wants a boolean',
    BASE_CP + '  insightCollector:\n    application:\n      enabled: maybe\n',
    'spec.insightCollector.application.enabled (line 16, column 16): must be a boolean',
  ],
  [
    'a url naming a database while database is set',
    BASE_CP.replace('(pipecd-mysql:3306)', '(pipecd-mysql:3306)/other'),
    'spec.datastore.config.database (line 8, column 17): is set while url already names a database; PipeCD would join them into an address the MySQL driver refuses',
  ],
  [
    'a merge key that brings a number where a string is wanted',
    BASE_CP + '  stateKey: abc\n  <<: {stateKey: 1}\n',
    'spec.stateKey (line 15, column 18): must be a string',
  ],
  ['on as a value is a boolean (YAML 1.1)', BASE_CP + '  address: on\n', 'spec.address (line 14, column 12): must be a string'],
  [
    'a key that loses to a later one, with a wrong type',
    BASE_CP + '  STATEKEY: 1\n  stateKey: abc\n',
    'spec.STATEKEY (line 14, column 13): must be a string',
  ],
  [
    'an unknown datastore type',
    BASE_CP.replace('type: MYSQL', 'type: POSTGRES'),
    'spec.datastore.type (line 5, column 11): must be one of MYSQL, FIRESTORE',
  ],
];

export const PIPED_ACCEPTED: [string, string][] = [
  ['projectId and pipedkeyfile (case-insensitive)', BASE_PIPED.replace('projectID', 'projectId').replace('pipedKeyFile', 'pipedkeyfile')],
  ['an unknown top-level key (pipedv1 accepts it)', BASE_PIPED + 'metadata: {}\n'],
  ['an unknown spec key (PipedSpec.UnmarshalJSON ignores it)', BASE_PIPED + '  plugins: []\n  whatever: 1\n'],
  ['pipedKeyData null beside pipedKeyFile', BASE_PIPED + '  pipedKeyData:\n'],
];
export const PIPED_REFUSED: [string, string, string][] = [
  [
    'both pipedKeyFile and pipedKeyData',
    BASE_PIPED + '  pipedKeyData: abc\n',
    'spec.pipedKeyFile (line 6, column 17): needs exactly one of pipedKeyFile and pipedKeyData (or set PIPED_KEY)',
  ],
  [
    "a null syncInterval (PipeCD's Duration refuses null)",
    BASE_PIPED + '  syncInterval: ~\n',
    'spec.syncInterval (line 8, column 17): must be a duration such as 30s, 5m or 1h',
  ],
  ['a negative syncInterval', BASE_PIPED + '  syncInterval: -1m\n', 'spec.syncInterval (line 8, column 17): must not be negative'],
];
