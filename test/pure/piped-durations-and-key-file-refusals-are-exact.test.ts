import { describe, expect, it } from 'vitest';
import { INPUTS } from '../../src/inputs/catalog.js';
import { renderLaunch } from '../../src/render/plan.js';
import { ROLES } from '../../src/roles/index.js';
import { described, envInput, failure, NO_SETTINGS, PIPED } from './support/render.js';

/**
 * piped refuses a negative sync interval at start. Go's time.ParseDuration reads `-0s` as zero and
 * PipeCD reads a bare number as nanoseconds, so a string is refused only for a minus with a
 * non-zero digit, and a number only when negative (each case here agrees with test/oracle). With
 * PIPED_KEY the bootstrapper edits spec, so a spec that is not a mapping is refused at the spec.
 */

const LABEL = 'PIPED_CONFIG (env PIPED_CONFIG)';
const render = (config: string, key?: string) =>
  renderLaunch(
    ROLES.piped,
    [envInput(INPUTS.pipedConfig, config), ...(key === undefined ? [] : [envInput(INPUTS.pipedKey, key)])],
    NO_SETTINGS,
    '/o',
    [],
  );
const withInterval = (value: string) => `${PIPED}  syncInterval: ${value}\n`;
const NEGATIVE = { exitCode: 65, message: `${LABEL}: spec.syncInterval (line 8, column 17): must not be negative`, hint: undefined };

describe('piped: syncInterval must not be negative', () => {
  it.each(['-0s', '-0', '-0.0m', '0s', '1m', '0', '5'])('%s is accepted', (value) => {
    expect(render(withInterval(value)).plan.files[0]!.contents.toString()).toBe(withInterval(value));
  });

  it.each(['-1s', '-0.5m', '-10ms', '-1', '-1.5'])('%s is refused', (value) => {
    expect(described(failure(() => render(withInterval(value))))).toEqual(NEGATIVE);
  });
});

describe('piped: PIPED_KEY needs a spec mapping to edit', () => {
  it.each([
    ['missing', 'apiVersion: pipecd.dev/v1beta1\nkind: Piped\n', 'spec (line 1, column 1)'],
    ['null', 'apiVersion: pipecd.dev/v1beta1\nkind: Piped\nspec: null\n', 'spec (line 3, column 7)'],
    ['empty', 'apiVersion: pipecd.dev/v1beta1\nkind: Piped\nspec:\n', 'spec (line 3, column 6)'],
  ])('a spec that is %s is refused', (_what, config, where) => {
    expect(described(failure(() => render(config, 'the-key')))).toEqual({
      exitCode: 65,
      message: `${LABEL}: ${where}: must be a mapping`,
      hint: undefined,
    });
  });
});
