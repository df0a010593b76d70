/**
 * encoding/json decodes every key that names a field (exactly or case-insensitively), in Go's key
 * order, so a key that loses to a later one must still hold a value of the field's JSON type:
 * PipeCD refuses `Enabled: x` beside `enabled: true`, and starts with `Enabled: true` beside
 * `enabled: false`. These rows pin that check for each kind of field (string literal, boolean,
 * whole number, duration, struct, list), the messages for a wrong type, the Go duration grammar,
 * the exact-name keys of SharedSSOConfig, and the key a message names when only null keys set a
 * required field. The Go oracle confirms PipeCD's verdict on every row.
 */
import { describe, expect, inject, it } from 'vitest';
import { validateControlPlane } from '../../src/render/control-plane.js';
import { parseYaml } from '../../src/render/yaml-document.js';
import { BASE_CP, CP } from '../helpers/config-rules.js';
import { failureOf } from '../helpers/failure.js';
import { judge } from '../helpers/oracle.js';

const validate = (text: string) => validateControlPlane(parseYaml(text, CP));
const application = (lines: string) => `${BASE_CP}  insightCollector:\n    application:\n${lines}`;
const deployment = (lines: string) => `${BASE_CP}  insightCollector:\n    deployment:\n${lines}`;
const ttl = (value: string) => `${BASE_CP}  cache:\n    ttl: ${value}\n`;
const mysql = (config: string) =>
  BASE_CP.replace('      url: sample:password@tcp(pipecd-mysql:3306)\n      database: quickstart\n', config);

const REFUSED: [what: string, config: string, where: string][] = [
  [
    'a whole number field holding text',
    deployment('      chunkMaxCount: x\n'),
    'spec.insightCollector.deployment.chunkMaxCount (line 16, column 22): must be a number',
  ],
  [
    'a whole number field holding 1.5',
    deployment('      chunkMaxCount: 1.5\n'),
    'spec.insightCollector.deployment.chunkMaxCount (line 16, column 22): must be a whole number',
  ],
  [
    'a boolean field holding text',
    application('      enabled: x\n'),
    'spec.insightCollector.application.enabled (line 16, column 16): must be a boolean',
  ],
  // Go key order puts upper case first: the capitalised key is decoded first and loses.
  [
    'a losing apiVersion that is a number',
    BASE_CP.replace('apiVersion: pipecd.dev/v1beta1\n', 'APIVERSION: 1\napiVersion: pipecd.dev/v1beta1\n'),
    'APIVERSION (line 1, column 13): must be a string',
  ],
  [
    'a losing boolean holding text',
    application('      Enabled: x\n      enabled: true\n'),
    'spec.insightCollector.application.Enabled (line 16, column 16): must be a boolean',
  ],
  [
    'a losing whole number holding text',
    deployment('      ChunkMaxCount: x\n      chunkMaxCount: 6\n'),
    'spec.insightCollector.deployment.ChunkMaxCount (line 16, column 22): must be a number',
  ],
  [
    'a losing whole number holding 1.5',
    deployment('      ChunkMaxCount: 1.5\n      chunkMaxCount: 6\n'),
    'spec.insightCollector.deployment.ChunkMaxCount (line 16, column 22): must be a number',
  ],
  ['a losing struct holding a number', `${BASE_CP}  Cache: 1\n  cache: {ttl: 5m}\n`, 'spec.Cache (line 14, column 10): must be a mapping'],
  ['a losing list holding a number', `${BASE_CP}  Projects: 1\n  projects: []\n`, 'spec.Projects (line 14, column 13): must be a list'],
  [
    'a losing duration that is null (Duration.UnmarshalJSON refuses null)',
    `${BASE_CP}  cache:\n    TTL: null\n    ttl: 5m\n`,
    'spec.cache.TTL (line 15, column 10): must be a duration such as 30s, 5m or 1h',
  ],
  [
    'a shared SSO name under a key of another case (read by exact name)',
    `${BASE_CP}  sharedSSOConfigs:\n    - Name: x\n      provider: GITHUB\n`,
    'spec.sharedSSOConfigs[0].Name (line 15, column 13): is required (and 1 more problem)',
  ],
  [
    'a required url set only by null keys: the last of them is named',
    mysql('      URL: ~\n      Url: ~\n      uRL: ~\n      database: q\n'),
    'spec.datastore.config.uRL (line 9, column 12): is required',
  ],
  [
    'a required url set only by one null key',
    mysql('      URL: ~\n      database: q\n'),
    'spec.datastore.config.URL (line 7, column 12): is required',
  ],
  ['a duration with text before it', ttl('x5m'), 'spec.cache.ttl (line 15, column 10): must be a duration such as 30s, 5m or 1h'],
  ['a duration with text after it', ttl('5mx'), 'spec.cache.ttl (line 15, column 10): must be a duration such as 30s, 5m or 1h'],
  [
    'a losing duration that Go cannot parse',
    `${BASE_CP}  cache:\n    TTL: x\n    ttl: 5m\n`,
    'spec.cache.TTL (line 15, column 10): must be a duration such as 30s, 5m or 1h',
  ],
];

const ACCEPTED: [what: string, config: string][] = [
  ['a duration of several units', ttl('1h30m')],
  ['a duration with two fraction digits', ttl('1.50s')],
  ['a duration with no integer part', ttl('.25s')],
  ['a duration with a one-digit fraction and no integer part', ttl('.5s')],
  [
    'a losing apiVersion that is a string',
    BASE_CP.replace('apiVersion: pipecd.dev/v1beta1\n', 'APIVERSION: pipecd.dev/v1\napiVersion: pipecd.dev/v1beta1\n'),
  ],
  ['a losing boolean', application('      Enabled: true\n      enabled: false\n')],
  ['a losing whole number', deployment('      ChunkMaxCount: 5\n      chunkMaxCount: 6\n')],
  ['a losing struct', `${BASE_CP}  Cache: {ttl: 1m}\n  cache: {ttl: 5m}\n`],
  ['a losing list', `${BASE_CP}  Projects: [{id: a}]\n  projects: []\n`],
];

describe('every key that names a field is checked as encoding/json decodes it', () => {
  it.each(REFUSED)('refused: %s', (_, config, where) =>
    expect(failureOf(() => validate(config))).toEqual({ exitCode: 65, message: `${CP}: ${where}`, hint: undefined }),
  );

  it.each(ACCEPTED)('accepted: %s', (_, config) => expect(validate(config)).toBeUndefined());

  it('PipeCD refuses every refused row and starts with every accepted one', () => {
    const refusedRows = [...REFUSED].map((r) => r[1]);
    const verdicts = judge(inject('oracle'), 'controlplane', [...refusedRows, ...ACCEPTED.map((r) => r[1])]);
    expect(verdicts.map((v) => v.ok)).toEqual([...refusedRows.map(() => false), ...ACCEPTED.map(() => true)]);
  });
});
