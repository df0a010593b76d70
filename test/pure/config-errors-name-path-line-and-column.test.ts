import { describe, expect, it } from 'vitest';
import { INPUTS } from '../../src/inputs/catalog.js';
import { renderLaunch } from '../../src/render/plan.js';
import { toGoPlain } from '../../src/render/go-yaml.js';
import { formatPath, parseYaml, problemAt, type YamlSource } from '../../src/render/yaml-document.js';

const toPlain = (source: YamlSource) => toGoPlain(source.doc).plain;
import { ROLES } from '../../src/roles/index.js';
import { CONTROL_PLANE, described, envInput, failure, NO_SETTINGS, PIPED } from './support/render.js';

const LABEL = 'PIPED_CONFIG (env PIPED_CONFIG)';
const renderPiped = (config: string) => renderLaunch(ROLES.piped, [envInput(INPUTS.pipedConfig, config)], NO_SETTINGS, '/o', []);
const KEY = 'k'.repeat(32);
const renderServer = (config: string) =>
  renderLaunch(ROLES.server, [envInput(INPUTS.controlPlaneConfig, config), envInput(INPUTS.encryptionKey, KEY)], NO_SETTINGS, '/o', []);

/** [what, config, where and what is wrong]: one line naming the input, the YAML path, the line and the column. */
const PIPED_ERRORS = [
  ['a wrong apiVersion', PIPED.replace('v1beta1', 'v1'), 'apiVersion (line 1, column 13): must be pipecd.dev/v1beta1'],
  ['a wrong kind', PIPED.replace('kind: Piped', 'kind: ControlPlane'), 'kind (line 2, column 7): must be Piped'],
  ['a spec that is a list', 'apiVersion: pipecd.dev/v1beta1\nkind: Piped\nspec: [1]\n', 'spec (line 3, column 7): must be a mapping'],
  [
    'a number where a string belongs',
    PIPED.replace('pipedID: piped-1', 'pipedID: 12'),
    'spec.pipedID (line 5, column 12): must be a string',
  ],
  ['an empty required string', PIPED.replace('pipedID: piped-1', 'pipedID: ""'), 'spec.pipedID (line 5, column 12): must not be empty'],
  [
    'a null required string (PipeCD reads null as not set)',
    PIPED.replace('pipedID: piped-1', 'pipedID:'),
    'spec.pipedID (line 5, column 11): is required',
  ],
  [
    'two problems',
    PIPED.replace('pipedID: piped-1', 'pipedID: 1').replace('projectID: quickstart', 'projectID: 2'),
    'spec.projectID (line 4, column 14): must be a string (and 1 more problem)',
  ],
  [
    'three problems',
    PIPED.replace('pipedID: piped-1', 'pipedID: 1').replace('projectID: quickstart', 'projectID: 2').replace('kind: Piped', 'kind: X'),
    'kind (line 2, column 7): must be Piped (and 2 more problems)',
  ],
  ['a document that is a string', 'just text\n', '(document) (line 1, column 1): must be a mapping'],
  ['invalid YAML, by code only', 'a: "unclosed\n', 'invalid YAML (line 2, column 1): a missing character (unclosed quote or bracket?)'],
  ['a tab as indentation', 'a:\n\tb: 1\n', 'invalid YAML (line 2, column 1): a tab used for indentation'],
  ['no document', '# only a comment\n', 'holds no YAML document'],
  ['__proto__ as a key', 'a:\n  __proto__: {}\n', 'key "__proto__" (line 2, column 3) is not allowed in a config'],
  ['constructor as a key', 'constructor: 1\n', 'key "constructor" (line 1, column 1) is not allowed in a config'],
  ['prototype as a key', 'x: { prototype: 1 }\n', 'key "prototype" (line 1, column 6) is not allowed in a config'],
] as const;

describe('config errors', () => {
  it.each(PIPED_ERRORS)('%s', (_what, config, where) => {
    expect(described(failure(() => renderPiped(config)))).toEqual({ exitCode: 65, message: `${LABEL}: ${where}`, hint: undefined });
  });

  it.each([
    [
      'an unknown datastore type',
      CONTROL_PLANE.replace('type: MYSQL', 'type: POSTGRES'),
      'spec.datastore.type (line 6, column 11): must be one of MYSQL, FIRESTORE',
    ],
    [
      'an unknown filestore type',
      CONTROL_PLANE.replace('type: MINIO', 'type: AZURE'),
      'spec.filestore.type (line 12, column 11): must be one of GCS, S3, MINIO',
    ],
    [
      'S3 without a region',
      CONTROL_PLANE.replace('type: MINIO', 'type: S3'),
      'spec.filestore.config.region (line 14, column 7): is required',
    ],
    [
      'S3 without a bucket',
      CONTROL_PLANE.replace('type: MINIO', 'type: S3').replace('bucket: quickstart', 'region: us-east-1'),
      'spec.filestore.config.bucket (line 14, column 7): is required',
    ],
    [
      'a filestore config that is a list',
      CONTROL_PLANE.replace(/config:\n      endpoint[\s\S]*$/, 'config: [1]\n'),
      'spec.filestore.config (line 13, column 13): must be a mapping',
    ],
    ['a cache that is a list', `${CONTROL_PLANE}  cache: [1]\n`, 'spec.cache (line 16, column 10): must be a mapping'],
    [
      'an insight collector that is text',
      `${CONTROL_PLANE}  insightCollector: x\n`,
      'spec.insightCollector (line 16, column 21): must be a mapping',
    ],
    [
      'an SSO config without a name',
      `${CONTROL_PLANE}  sharedSSOConfigs:\n    - provider: GITHUB\n`,
      'spec.sharedSSOConfigs[0].name (line 17, column 7): is required',
    ],
    [
      'an address that is a number',
      CONTROL_PLANE.replace('  stateKey: some-state-key', '  address: 9080'),
      'spec.address (line 4, column 12): must be a string',
    ],
    [
      'a datastore config that is text',
      CONTROL_PLANE.replace(/config:\n      # the demo[\s\S]*?quickstart\n/, 'config: x\n'),
      'spec.datastore.config (line 7, column 13): must be a mapping',
    ],
    ['projects that are not a list', `${CONTROL_PLANE}  projects: {}\n`, 'spec.projects (line 16, column 13): must be a list'],
    [
      'an SSO config without a provider',
      `${CONTROL_PLANE}  sharedSSOConfigs:\n    - name: x\n`,
      'spec.sharedSSOConfigs[0].provider (line 17, column 7): is required',
    ],
  ])('%s', (_what, config, where) => {
    expect(described(failure(() => renderServer(config)))).toEqual({
      exitCode: 65,
      message: `CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG): ${where}`,
      hint: undefined,
    });
  });

  it('Firestore and GCS need no config', () => {
    const config =
      'apiVersion: pipecd.dev/v1beta1\nkind: ControlPlane\nspec:\n  datastore:\n    type: FIRESTORE\n  filestore:\n    type: GCS\n';
    expect(renderServer(config).plan.files[0]!.contents.toString()).toBe(config);
  });

  it.each([
    [[], '(document)'],
    [['spec'], 'spec'],
    [['spec', 'projects', 0, 'id'], 'spec.projects[0].id'],
    [[0, 'a'], '[0].a'],
  ] as const)('formats the path %j as %s', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });

  it('points at the deepest node that exists, and at a key when asked', () => {
    const source = parseYaml('a:\n  b: 1\n', 'X');
    expect(problemAt(source, ['a', 'b'], 'is bad', 'key').message).toBe('X: a.b (line 2, column 3): is bad');
    expect(problemAt(source, ['a', 'b'], 'is bad').message).toBe('X: a.b (line 2, column 6): is bad');
    expect(problemAt(source, ['a', 'zz'], 'is bad', 'key').message).toBe('X: a.zz (line 2, column 3): is bad');
    expect(problemAt(source, ['top'], 'is bad', 'key').message).toBe('X: top (line 1, column 1): is bad');
  });

  it('a document that is only null points nowhere', () => {
    const source = parseYaml('~\n', 'X');
    expect(toPlain(source)).toBeNull();
    expect(problemAt(source, ['a'], 'is required').message).toBe('X: a (line 1, column 1): is required');
    expect(() => parseYaml('', 'X')).toThrow(expect.objectContaining({ exitCode: 65, message: 'X: holds no YAML document' }));
  });

  it('aliases within the limit expand', () => {
    expect(toPlain(parseYaml('a: &a [1, 2]\nb: *a\n', 'X'))).toEqual({ a: [1, 2], b: [1, 2] });
  });
});

describe('YAML errors, each by its code', () => {
  it.each([
    ['an alias with a tag', 'a: &x 1\nb: !!str *x\n', '(line 2, column 10): an alias cannot have an anchor or tag'],
    ['an alias to an anchor not defined', 'a: *nope\n', '(line 1, column 4): an alias refers to an anchor that is not defined before it'],
    ['an alias before its anchor', 'a: *x\nb: &x 1\n', '(line 1, column 4): an alias refers to an anchor that is not defined before it'],
    ['a bad escape', 'a: "\\q"\n', '(line 1, column 5): a bad escape in a double-quoted string'],
    ['bad indentation', 'a:\n  b: 1\n c: 2\n', '(line 3, column 1): bad indentation'],
    ['a plain value starting with @', 'a: @x\n', '(line 1, column 4): a plain value cannot start with this character'],
    ['a block collection in a flow one', '{a: \n  - b}\n', '(line 2, column 3): a block collection inside a flow collection'],
    ['a key over several lines', '"a\n b": 1\n', '(line 1, column 1): a key spread over several lines'],
    ['two anchors', 'a: &x &y 1\n', '(line 1, column 7): a node with two anchors'],
    ['two tags', 'a: !!str !!int 1\n', '(line 1, column 10): a node with two tags'],
    ['a stray bracket', 'a: 1\n]\n', '(line 2, column 1): an unexpected token'],
  ])('%s', (_what, text, where) => {
    expect(() => parseYaml(text, 'X')).toThrow(expect.objectContaining({ exitCode: 65, message: `X: invalid YAML ${where}` }));
  });

  it('an anchor used later resolves', () => {
    expect(toPlain(parseYaml('a: &x 1\nb: *x\n', 'X'))).toEqual({ a: 1, b: 1 });
  });
});
