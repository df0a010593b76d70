import { describe, expect, it } from 'vitest';
import { BootstrapError } from '../../src/errors.js';
import { readSetting, readSettings, type Env } from '../../src/inputs/settings.js';
import { ROLES } from '../../src/roles/index.js';

function refusal(read: () => unknown) {
  let error: unknown;
  try {
    read();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(BootstrapError);
  const { exitCode, message, hint } = error as BootstrapError;
  return { exitCode, message, hint };
}

describe('settings', () => {
  it('a path setting that looks like a value is refused without quoting it', () => {
    expect(refusal(() => readSetting('binary', { PIPECD_BINARY: 'a1b2c3d4e5f6g7h8' }, {}))).toEqual({
      exitCode: 64,
      message:
        'PIPECD_BINARY (--binary): looks like a random value (a long run of letters and digits), so it is taken for a value and not shown',
      hint: 'PIPECD_BINARY (--binary) takes a path',
    });
    expect(refusal(() => readSetting('outputDir', {}, { 'output-dir': '/tmp/a\nb' }))).toEqual({
      exitCode: 64,
      message:
        'PIPECD_BOOTSTRAP_DIR (--output-dir): has a line break, a tab or another control character, so it is taken for a value and not shown',
      hint: 'PIPECD_BOOTSTRAP_DIR (--output-dir) takes a path',
    });
  });

  /** The launcher may hand its SDK a secret to read: the region it will use, AWS_REGION first. */
  it.each([
    ['AWS_REGION alone', { AWS_REGION: 'eu-west-1' }, 'eu-west-1'],
    ['AWS_DEFAULT_REGION alone', { AWS_DEFAULT_REGION: 'us-east-2' }, 'us-east-2'],
    ['both', { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-east-2' }, 'eu-west-1'],
    ['AWS_REGION empty', { AWS_REGION: '', AWS_DEFAULT_REGION: 'us-east-2' }, 'us-east-2'],
    ['both empty', { AWS_REGION: '', AWS_DEFAULT_REGION: '' }, undefined],
    ['neither', {}, undefined],
  ] as [string, Env, string | undefined][])('launcher, %s: its launcher config mode and SDK region', (_name, env, sdkRegion) => {
    expect(readSettings(ROLES.launcher, { ...env, PIPECD_BOOTSTRAP_LAUNCHER_CONFIG: 'source' }, {}).role).toStrictEqual({
      datastoreHost: undefined,
      cacheAddress: undefined,
      launcherConfig: 'source',
      sdkRegion,
    });
    expect(readSettings(ROLES.launcher, env, {}).role).toStrictEqual({
      datastoreHost: undefined,
      cacheAddress: undefined,
      launcherConfig: 'auto',
      sdkRegion,
    });
  });

  it.each(['server', 'ops', 'gateway', 'piped'] as const)('%s takes no launcher config and no SDK region', (role) => {
    const settings = readSettings(ROLES[role], { AWS_REGION: 'eu-west-1', PIPECD_BOOTSTRAP_LAUNCHER_CONFIG: 'source' }, {}).role;
    expect(Object.keys(settings)).toEqual(['datastoreHost', 'cacheAddress']);
  });
});
