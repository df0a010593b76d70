import fc from 'fast-check';

/**
 * Random PipeCD configs written as YAML text, varying what PipeCD's decoding rules are about: key
 * case, nulls, duplicate keys, document separators, anchors, aliases and merge keys, YAML 1.1
 * scalars and unknown nested keys. A small YAML writer keeps each variation a choice of text.
 */

type Y =
  | { t: 'scalar'; text: string; anchor?: string }
  | { t: 'alias'; name: string }
  | { t: 'map'; entries: [string, Y][]; flow?: boolean; anchor?: string }
  | { t: 'seq'; items: Y[]; flow?: boolean };

export const scalar = (text: string): Y => ({ t: 'scalar', text });
const map = (entries: [string, Y][], flow = false): Y => ({ t: 'map', entries, flow });
const seq = (items: Y[], flow = false): Y => ({ t: 'seq', items, flow });

const props = (y: { anchor?: string }) => (y.anchor ? `&${y.anchor} ` : '');

/**
 * `-` alone inside a flow collection is left out: go-yaml v2 reads `{a: -}` as the string "-",
 * the `yaml` library refuses it (a block sequence inside a flow collection). It is the one known
 * difference of the two parsers here, stated in README.
 */
const inFlow = (y: Y): string => (y.t === 'scalar' && y.text === '-' ? 'abc' : inline(y));

function inline(y: Y): string {
  switch (y.t) {
    case 'scalar':
      return props(y) + y.text;
    case 'alias':
      return `*${y.name}`;
    case 'map':
      return `${props(y)}{${y.entries.map(([k, v]) => `${k}: ${inFlow(v)}`).join(', ')}}`;
    case 'seq':
      return `[${y.items.map(inFlow).join(', ')}]`;
  }
}

const isBlock = (y: Y) => (y.t === 'map' || y.t === 'seq') && !y.flow && (y.t === 'map' ? y.entries.length : y.items.length) > 0;

function block(y: Y, indent: number): string {
  const pad = ' '.repeat(indent);
  if (y.t === 'map') {
    return y.entries
      .map(([k, v]) => {
        if (!isBlock(v)) return `${pad}${k}: ${inline(v)}`.trimEnd() + '\n';
        return `${pad}${k}:${v.t === 'map' && v.anchor ? ` &${v.anchor}` : ''}\n${block(v, indent + 2)}`;
      })
      .join('');
  }
  if (y.t === 'seq') {
    return y.items
      .map((item) => {
        if (!isBlock(item)) return `${pad}- ${inline(item)}\n`;
        const text = block(item, indent + 2);
        return `${pad}- ${text.slice(indent + 2)}`;
      })
      .join('');
  }
  return `${pad}${inline(y)}\n`;
}

type G = fc.GeneratorValue;

// Unbiased: fast-check's default bias towards extremes would make every choice the first or the last.
const uniform = (g: G, max: number) => g(() => fc.noBias(fc.integer({ min: 0, max })));
const pick = <T>(g: G, items: readonly T[]): T => items[uniform(g, items.length - 1)]!;
const chance = (g: G, p: number) => uniform(g, 9999) < p * 10000;

/** Plain scalars of every YAML 1.1 kind that matters: Go reads some as strings, some as numbers or booleans. */
export const SCALARS = [
  '!!str 12',
  '"tab\\there"',
  "'it''s'",
  '"\\u00e9"',
  'a b  c',
  'abc   # spaced comment',
  'abc',
  'x-y.z',
  '"quoted"',
  "'single'",
  'on',
  'off',
  'yes',
  'No',
  'y',
  'n',
  'true',
  'e3',
  '.',
  '._',
  '1:20',
  '2001-12-14',
  '0755',
  '08',
  '1e3',
  '0o17',
  '0x1F',
  '1_000',
  '.5',
  '-',
  '~',
  'null',
  '',
  '"0755"',
  '12',
  '-1m',
  '5m',
  '.inf',
  '"on"',
  '+.5',
  '1.',
  '0b101',
  '"1e3"',
  'abc # comment',
];
const STRING = ['abc', 'x-y.z', '"quoted"', "'single'", '"0755"', 'e3', '.', '1:20', '2001-12-14', '"on"'];

/** A key as written: its own name mostly, sometimes in another case (encoding/json matches it too). */
function keyOf(g: G, name: string): string {
  if (!chance(g, 0.15)) return name;
  return pick(g, [
    name.toLowerCase(),
    name.toUpperCase(),
    name[0]!.toUpperCase() + name.slice(1),
    name.replace(/s/, '\u017f'),
    name.replace(/k/, '\u212a'),
  ]);
}

function value(g: G, typical: readonly string[]): Y {
  return scalar(chance(g, 0.9) ? pick(g, typical) : pick(g, SCALARS));
}

function unknownKeys(g: G, p: number): [string, Y][] {
  return chance(g, p) ? [[pick(g, ['extra', 'size', 'Enabled2', 'poolSize']), value(g, ['1', 'x'])]] : [];
}

/** Shuffles entries a little, nulls some, duplicates one with an earlier value, adds a merge key. */
function vary(g: G, entries: [string, Y][], mergeable: readonly string[]): [string, Y][] {
  let out = entries.map(([k, v]): [string, Y] => [keyOf(g, k), chance(g, 0.05) ? scalar(pick(g, ['', '~', 'null'])) : v]);
  if (out.length > 0 && chance(g, 0.1)) {
    const i = uniform(g, out.length - 1);
    // The same key, or another spelling of it (both decode into the field; the last in sorted order stays).
    const key = chance(g, 0.5) ? out[i]![0] : out[i]![0].toUpperCase();
    out = [...out.slice(0, i), [key, value(g, STRING)], ...out.slice(i)];
  }
  if (mergeable.length > 0 && chance(g, 0.15)) {
    const merged = map([[pick(g, mergeable), value(g, STRING)]], true);
    const i = uniform(g, out.length);
    const entry: [string, Y] = ['<<', chance(g, 0.3) ? seq([merged, map([[pick(g, mergeable), value(g, STRING)]], true)], true) : merged];
    out = [...out.slice(0, i), entry, ...out.slice(i)];
  }
  return out;
}

/** Gives one string value an anchor and puts an alias of it in another string field. */
function anchorAndAlias(g: G, entries: [string, Y][], stringFields: readonly string[]): [string, Y][] {
  if (!chance(g, 0.15)) return entries;
  const i = entries.findIndex(([k, v]) => stringFields.includes(k) && v.t === 'scalar' && v.text !== '');
  if (i < 0) return entries;
  const [k, v] = entries[i]!;
  const out = [...entries];
  out[i] = [k, { ...(v as { t: 'scalar'; text: string }), anchor: 'a' }];
  return [
    ...out,
    [
      pick(
        g,
        stringFields.filter((f) => f !== k),
      ),
      { t: 'alias', name: 'a' },
    ],
  ];
}

/**
 * Document separators (a leading `---`, a trailing `---`, a second document, ignored by PipeCD) and
 * lexical variants: comment lines, sequences not indented under their key, CRLF line ends, a BOM.
 */
function documents(g: G, body: string): string {
  const before = pick(g, ['', '', '', '', '---\n', '# a comment\n', '%YAML 1.1\n---\n']);
  const after = pick(g, ['', '', '', '---\n', '---\nkind: Piped\n', '...\n', '---\nnot: [valid\n', '# trailing comment\n']);
  let text = before + body + after;
  if (chance(g, 0.1)) text = text.replace(/\n( *)- /g, (_, pad: string) => `\n${pad.slice(2)}- `);
  if (chance(g, 0.05)) text = text.replace(/\n/g, '\r\n');
  if (chance(g, 0.03)) text = '\ufeff' + text;
  return text;
}

function top(g: G, kind: string, spec: Y): string {
  let entries: [string, Y][] = [
    ['apiVersion', scalar(chance(g, 0.95) ? pick(g, ['pipecd.dev/v1beta1', '"pipecd.dev/v1beta1"']) : pick(g, ['pipecd.dev/v1', '~']))],
    ['kind', scalar(chance(g, 0.95) ? kind : pick(g, ['Piped', 'ControlPlane', 'Application']))],
    ['spec', spec],
  ];
  if (chance(g, 0.05)) entries = [['kind', scalar('Other')], ...entries];
  entries = vary(g, entries, []);
  entries.push(...unknownKeys(g, 0.08));
  return documents(g, block(map(entries), 0));
}

const MYSQL_URLS = [
  'u:p@tcp(h:3306)',
  'u:p@tcp(h:3306)/db',
  'h:3306',
  'h:3306/db',
  'u:p@tcp(h:3306',
  'u:p@unix(/run/s)/db',
  'u:p@tcp(h:3306)/db?tls=true',
  'u:p@x(h)/db',
  'u:p@tcp(h:3306)/',
  '""',
];

function datastore(g: G): Y {
  const type = chance(g, 0.85) ? pick(g, ['MYSQL', 'MYSQL', 'FIRESTORE']) : pick(g, ['POSTGRES', '~', 'mysql']);
  const config: [string, Y][] = [];
  if (type === 'MYSQL' || chance(g, 0.2)) {
    if (chance(g, 0.95)) config.push(['url', scalar(pick(g, MYSQL_URLS))]);
    if (chance(g, 0.6)) config.push(['database', scalar(pick(g, ['quickstart', 'quickstart', '""', '~']))]);
    if (chance(g, 0.3)) config.push(['usernameFile', scalar('/etc/u')], ['passwordFile', scalar('/etc/p')]);
  } else if (chance(g, 0.5)) {
    config.push(['namespace', value(g, STRING)], ['project', value(g, STRING)]);
  }
  config.push(...unknownKeys(g, 0.2));
  const entries: [string, Y][] = [['type', scalar(type)]];
  if (config.length > 0 || chance(g, 0.1))
    entries.push(['config', config.length > 0 ? map(vary(g, config, ['url', 'database']), chance(g, 0.2)) : scalar('')]);
  return map(vary(g, entries, []), chance(g, 0.1));
}

function filestore(g: G): Y {
  const type = chance(g, 0.9) ? pick(g, ['S3', 'GCS', 'MINIO']) : pick(g, ['AZURE', '~']);
  const config: [string, Y][] = [];
  if (type === 'S3') {
    if (chance(g, 0.9)) config.push(['bucket', value(g, STRING)]);
    if (chance(g, 0.9)) config.push(['region', value(g, STRING)]);
  } else if (type === 'MINIO') {
    config.push(['endpoint', value(g, STRING)], ['autoCreateBucket', value(g, ['true', 'yes', 'off'])]);
  } else if (chance(g, 0.5)) config.push(['bucket', value(g, STRING)]);
  config.push(...unknownKeys(g, 0.2));
  const entries: [string, Y][] = [['type', scalar(type)]];
  if (config.length > 0) entries.push(['config', map(vary(g, config, ['bucket', 'region']), chance(g, 0.2))]);
  return map(vary(g, entries, []));
}

function sso(g: G): Y {
  const entries: [string, Y][] = [];
  if (chance(g, 0.9)) entries.push([chance(g, 0.95) ? 'name' : 'Name', value(g, STRING)]);
  if (chance(g, 0.95))
    entries.push([
      chance(g, 0.95) ? 'provider' : 'Provider',
      scalar(chance(g, 0.85) ? pick(g, ['GITHUB', 'GOOGLE', 'OIDC']) : pick(g, ['GITLAB', 'github', '1'])),
    ]);
  if (chance(g, 0.5))
    entries.push([
      pick(g, ['github', 'google', 'oidc']),
      map([[pick(g, ['client_id', 'clientId', 'clientSecret', 'client-id']), value(g, STRING)]], true),
    ]);
  if (chance(g, 0.2)) entries.push([pick(g, ['sessionTtl', 'session_ttl', 'SessionTtl']), scalar(pick(g, ['24', '"24"', 'x']))]);
  entries.push(...unknownKeys(g, 0.1));
  return map(entries);
}

export const controlPlaneConfig: fc.Arbitrary<string> = fc.gen().map((g) => {
  let spec: [string, Y][] = [];
  if (chance(g, 0.97)) spec.push(['datastore', datastore(g)]);
  if (chance(g, 0.97)) spec.push(['filestore', filestore(g)]);
  if (chance(g, 0.4)) spec.push(['address', value(g, STRING)]);
  if (chance(g, 0.4)) spec.push(['stateKey', value(g, STRING)]);
  if (chance(g, 0.3))
    spec.push(['cache', chance(g, 0.1) ? scalar('') : map([['ttl', value(g, ['5m', '1h', '300', '90s'])], ...unknownKeys(g, 0.2)])]);
  if (chance(g, 0.3)) {
    spec.push([
      'insightCollector',
      map([
        [
          'application',
          map([['enabled', value(g, ['true', 'false', 'yes'])], ['schedule', value(g, ['"0 * * * *"'])], ...unknownKeys(g, 0.1)]),
        ],
        ['deployment', map([['chunkMaxCount', value(g, ['1000', '1e3', '5'])], ...unknownKeys(g, 0.1)])],
        ...unknownKeys(g, 0.1),
      ]),
    ]);
  }
  if (chance(g, 0.3)) {
    spec.push([
      'projects',
      seq([
        map([
          ['id', value(g, STRING)],
          ['staticAdmin', map([['username', value(g, STRING)], ['passwordHash', value(g, STRING)], ...unknownKeys(g, 0.1)])],
          ...unknownKeys(g, 0.1),
        ]),
      ]),
    ]);
  }
  if (chance(g, 0.3)) spec.push(['sharedSSOConfigs', seq([sso(g)])]);
  spec = anchorAndAlias(g, spec, ['address', 'stateKey']);
  spec = vary(g, spec, ['address', 'stateKey']);
  spec.push(...unknownKeys(g, 0.05));
  return top(g, 'ControlPlane', map(spec));
});

export const pipedConfig: fc.Arbitrary<string> = fc.gen().map((g) => {
  let spec: [string, Y][] = [];
  for (const f of ['projectID', 'pipedID', 'apiAddress']) if (chance(g, 0.95)) spec.push([f, value(g, STRING)]);
  const key = pick(g, ['file', 'file', 'data', 'both', 'none']);
  if (key === 'file' || key === 'both') spec.push(['pipedKeyFile', value(g, ['/etc/piped/key', 'etc/piped/key'])]);
  if (key === 'data' || key === 'both') spec.push(['pipedKeyData', value(g, ['c2VjcmV0', 'YWJj'])]);
  if (chance(g, 0.3)) spec.push(['syncInterval', value(g, ['1m', '-1m', '30s', '60000000000', '1.5h', '0'])]);
  if (chance(g, 0.2)) spec.push(['webAddress', value(g, STRING)]);
  if (chance(g, 0.2)) spec.push(['git', map([['username', value(g, STRING)], ...unknownKeys(g, 0.3)])]);
  if (chance(g, 0.2))
    spec.push([
      'plugins',
      seq([
        map([
          ['name', scalar('kubernetes')],
          ['port', scalar('7001')],
        ]),
      ]),
    ]);
  spec = anchorAndAlias(g, spec, ['name', 'webAddress', 'pipedKeyFile']);
  spec = vary(g, spec, ['pipedKeyFile', 'pipedKeyData', 'name']);
  spec.push(...unknownKeys(g, 0.1));
  return top(g, 'Piped', map(spec));
});
