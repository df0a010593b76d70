import { describe, expect, it } from 'vitest';
import { INPUTS } from '../../src/inputs/catalog.js';
import { renderLaunch } from '../../src/render/plan.js';
import { ROLES } from '../../src/roles/index.js';
import { described, envInput, failure, NO_SETTINGS, PIPED } from './support/render.js';

const LABEL = 'PIPED_CONFIG (env PIPED_CONFIG)';
const withKey = (line: string) => PIPED.replace('  pipedKeyData: inline-key\n', line);

describe('piped and its key', () => {
  it.each([
    ['pipedKeyData', PIPED],
    ['pipedKeyFile', withKey('  pipedKeyFile: /etc/piped-key\n')],
  ])('the config alone with %s is written as given', (_form, config) => {
    const { plan } = renderLaunch(ROLES.piped, [envInput(INPUTS.pipedConfig, config)], NO_SETTINGS, '/o', []);
    expect(plan.files[0]!.contents.toString()).toBe(config);
  });

  it.each([
    ['pipedKeyData, which is removed', PIPED, `${withKey('')}  pipedKeyFile: /o/piped-key\n`],
    ['pipedKeyFile, rewritten in place', withKey('  pipedKeyFile: /etc/piped-key\n'), withKey('  pipedKeyFile: /o/piped-key\n')],
    ['no key', withKey(''), `${withKey('')}  pipedKeyFile: /o/piped-key\n`],
  ])('with PIPED_KEY, a config with %s points at the written key file and nothing else', (_form, config, expected) => {
    const { plan } = renderLaunch(
      ROLES.piped,
      [envInput(INPUTS.pipedConfig, config), envInput(INPUTS.pipedKey, 'key')],
      NO_SETTINGS,
      '/o',
      [],
    );
    expect(plan.files[0]!.contents.toString()).toBe(expected);
    expect(plan.files[1]).toEqual({ input: 'PIPED_KEY', path: '/o/piped-key', contents: Buffer.from('key') });
  });

  it.each([
    ['no key at all', withKey('')],
    ['both key forms', withKey('  pipedKeyData: a\n  pipedKeyFile: /k\n')],
    ['an empty pipedKeyData', withKey('  pipedKeyData: ""\n')],
  ])('refuses %s without PIPED_KEY', (_what, config) => {
    const error = failure(() => renderLaunch(ROLES.piped, [envInput(INPUTS.pipedConfig, config)], NO_SETTINGS, '/o', []));
    expect(error.exitCode).toBe(65);
    expect(error.message).toMatch(
      new RegExp(
        `^${LABEL.replace(/[()]/g, '\\$&')}: spec\\.pipedKeyFile \\(line \\d+, column \\d+\\): needs exactly one of pipedKeyFile and pipedKeyData \\(or set PIPED_KEY\\)$`,
      ),
    );
  });

  it.each([
    ['projectID', 'spec.projectID (line 4, column 3): is required'],
    ['pipedID', 'spec.pipedID (line 4, column 3): is required'],
    ['apiAddress', 'spec.apiAddress (line 4, column 3): is required'],
  ])('refuses a config without %s', (key, where) => {
    const config = PIPED.split('\n')
      .filter((l) => !l.startsWith(`  ${key}:`))
      .join('\n');
    expect(described(failure(() => renderLaunch(ROLES.piped, [envInput(INPUTS.pipedConfig, config)], NO_SETTINGS, '/o', [])))).toEqual({
      exitCode: 65,
      message: `${LABEL}: ${where}`,
      hint: undefined,
    });
  });
});

describe('null is a field not set, as encoding/json reads it', () => {
  it('a null pipedKeyFile beside pipedKeyData is accepted and written as given', () => {
    const config = PIPED.replace('  pipedKeyData: inline-key\n', '  pipedKeyData: inline-key\n  pipedKeyFile:\n');
    expect(
      renderLaunch(ROLES.piped, [envInput(INPUTS.pipedConfig, config)], NO_SETTINGS, '/o', []).plan.files[0]!.contents.toString(),
    ).toBe(config);
  });
});
