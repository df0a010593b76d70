import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeOrigin, type InputLocation, type InputName, type RoleName } from '../../src/domain.js';
import { withReaper } from '../../src/launch/reaper.js';
import { ROLES } from '../../src/roles/index.js';
import { ref } from '../helpers/refs.js';

const settings = { datastoreHost: undefined, cacheAddress: undefined };
const at = (location: InputLocation) => new Map<InputName, InputLocation>([['PIPED_CONFIG', location]]);

describe('the launcher reads its config where it is, so that it can re-read it', () => {
  it('from Secrets Manager', () => {
    const secretId = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:piped-AbCdEf';
    expect(ROLES.launcher.args(at({ kind: 'secretsmanager', secretId }), settings)).toEqual([
      'launcher',
      '--config-from-aws-secret',
      `--aws-secret-id=${secretId}`,
    ]);
  });

  it('from SSM Parameter Store', () => {
    expect(ROLES.launcher.args(at({ kind: 'ssm', name: '/pipecd/piped:3' }), settings)).toEqual([
      'launcher',
      '--config-from-aws-ssm-parameter-store',
      '--aws-ssm-parameter=/pipecd/piped:3',
    ]);
  });

  it('from a file', () => {
    expect(ROLES.launcher.args(at({ kind: 'file', path: '/o/piped.yaml' }), settings)).toEqual(['launcher', '--config-file=/o/piped.yaml']);
  });
});

describe('as PID 1, the roles whose program starts children run it under tini', () => {
  const dir = mkdtempSync(join(tmpdir(), 'roles-tini-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const tini = join(dir, 'tini');
  writeFileSync(tini, '#!/bin/sh\n');
  chmodSync(tini, 0o755);
  const program = { path: '/usr/bin/prog', args: ['a'], env: {} };

  it.each([
    ['server', 'none'],
    ['ops', 'tini'],
    ['gateway', 'none'],
    ['piped', 'tini'],
    ['launcher', 'tini'],
  ] as [RoleName, string][])('%s: %s', (role, kind) => {
    expect(withReaper(ROLES[role], program, { pid: 1, path: undefined, tiniPaths: [tini] }).kind).toBe(kind);
  });
});

describe('describeOrigin names the service of a reference', () => {
  it.each([
    ['ssm:/pipecd/key', 'PIPED_KEY (parameter ssm:/pipecd/key from env PIPED_KEY_SECRET)'],
    ['pipecd/key', 'PIPED_KEY (secret pipecd/key from env PIPED_KEY_SECRET)'],
  ])('%s', (text, described) => {
    expect(describeOrigin('PIPED_KEY', { type: 'secret', ref: ref(text), via: 'env PIPED_KEY_SECRET' })).toBe(described);
  });
});
