import { describe, expect, it } from 'vitest';
import type { ResolvedInput, Settings } from '../../src/domain.js';
import { INPUTS } from '../../src/inputs/catalog.js';
import { renderLaunch } from '../../src/render/plan.js';
import { ROLES } from '../../src/roles/index.js';
import { ref } from '../helpers/refs.js';
import { CONTROL_PLANE, described, envInput, failure, NO_SETTINGS, PIPED } from './support/render.js';

/**
 * Two decisions of renderLaunch that the program's behaviour turns on. MySQL credentials come as
 * both files or neither, since PipeCD reads both or none; one alone is refused with its exact
 * message. The launcher alone (the role that re-reads its config) is handed the config's own
 * source when it can read it as it is, so that it restarts piped when the source changes; the
 * settings can force a file or demand the source, and a file written in place of a source that
 * could change is named in a warning that says why.
 */

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:piped-AbCdEf';
const LABEL = `PIPED_CONFIG (secret ${ARN} from env PIPED_CONFIG_SECRET)`;
const KEY = 'k'.repeat(64);

/** PIPED with PIPED_KEY given: pipedKeyData gone, pipedKeyFile added at the end of the spec. */
const PIPED_WITH_KEY_FILE = `apiVersion: pipecd.dev/v1beta1
kind: Piped
spec:
  projectID: quickstart
  pipedID: piped-1
  apiAddress: pipecd-gateway:9090
  pipedKeyFile: /o/piped-key
`;

/** PIPED_CONFIG as base64 YAML in a Secrets Manager secret, the form the launcher reads by itself. */
const fromSecret = (text = ARN, yaml = PIPED): ResolvedInput => ({
  spec: INPUTS.pipedConfig,
  origin: { type: 'secret', ref: ref(text), via: 'env PIPED_CONFIG_SECRET' },
  encoding: 'auto',
  bytes: Buffer.from(Buffer.from(yaml).toString('base64')),
});

const inRegion = (launcherConfig?: Settings['launcherConfig']): Settings => ({
  datastoreHost: undefined,
  cacheAddress: undefined,
  sdkRegion: 'us-east-1',
  ...(launcherConfig ? { launcherConfig } : {}),
});

describe('renderLaunch: MySQL credential files come in pairs', () => {
  it.each([
    ['MYSQL_USERNAME alone', envInput(INPUTS.mysqlUsername, 'user')],
    ['MYSQL_PASSWORD alone', envInput(INPUTS.mysqlPassword, 'pass')],
  ])('%s is refused before anything is decoded', (_what, credential) => {
    const inputs = [envInput(INPUTS.controlPlaneConfig, CONTROL_PLANE), envInput(INPUTS.encryptionKey, KEY), credential];
    expect(described(failure(() => renderLaunch(ROLES.server, inputs, NO_SETTINGS, '/o', [])))).toEqual({
      exitCode: 65,
      message: 'MYSQL_USERNAME and MYSQL_PASSWORD: give both or neither',
      hint: 'PipeCD reads the MySQL credentials from two files or from neither',
    });
  });
});

describe('renderLaunch: the launcher is handed its config source when it can read it', () => {
  it.each([undefined, 'auto', 'source'] as const)(
    'with PIPECD_BOOTSTRAP_LAUNCHER_CONFIG=%s, a plain secret in the SDK region is handed over and no file is written',
    (mode) => {
      expect(renderLaunch(ROLES.launcher, [fromSecret()], inRegion(mode), '/o', ['--x'])).toEqual({
        plan: { role: 'launcher', files: [], args: ['launcher', '--config-from-aws-secret', `--aws-secret-id=${ARN}`, '--x'] },
        warnings: [],
      });
    },
  );

  it('with PIPECD_BOOTSTRAP_LAUNCHER_CONFIG=file the same secret is written to a file, without a warning', () => {
    expect(renderLaunch(ROLES.launcher, [fromSecret()], inRegion('file'), '/o', [])).toEqual({
      plan: {
        role: 'launcher',
        files: [{ input: 'PIPED_CONFIG', path: '/o/piped-config.yaml', contents: Buffer.from(PIPED) }],
        args: ['launcher', '--config-file=/o/piped-config.yaml'],
      },
      warnings: [],
    });
  });

  it('piped, which does not re-read its config, always gets a file', () => {
    expect(renderLaunch(ROLES.piped, [fromSecret()], inRegion('source'), '/o', [])).toEqual({
      plan: {
        role: 'piped',
        files: [{ input: 'PIPED_CONFIG', path: '/o/piped-config.yaml', contents: Buffer.from(PIPED) }],
        args: ['piped', '--config-file=/o/piped-config.yaml'],
      },
      warnings: [],
    });
  });

  it('a config from the environment is written to a file without a warning, since it cannot change', () => {
    expect(renderLaunch(ROLES.launcher, [envInput(INPUTS.pipedConfig, PIPED)], inRegion(), '/o', [])).toEqual({
      plan: {
        role: 'launcher',
        files: [{ input: 'PIPED_CONFIG', path: '/o/piped-config.yaml', contents: Buffer.from(PIPED) }],
        args: ['launcher', '--config-file=/o/piped-config.yaml'],
      },
      warnings: [],
    });
  });

  it('a secret the launcher cannot read as it is is written to a file, with a warning that says why', () => {
    expect(renderLaunch(ROLES.launcher, [fromSecret(`${ARN}:config`)], inRegion('auto'), '/o', [])).toEqual({
      plan: {
        role: 'launcher',
        files: [{ input: 'PIPED_CONFIG', path: '/o/piped-config.yaml', contents: Buffer.from(PIPED) }],
        args: ['launcher', '--config-file=/o/piped-config.yaml'],
      },
      warnings: [
        `PIPED_CONFIG (secret ${ARN}:config from env PIPED_CONFIG_SECRET): written once to a file, so the launcher will not restart piped when it changes at its source: the reference names a JSON key, and the launcher reads the whole SecretString`,
      ],
    });
  });

  it('with PIPED_KEY the config is rewritten, so it is written to a file, with a warning naming the rewrite', () => {
    const inputs = [fromSecret(), envInput(INPUTS.pipedKey, 'the-key')];
    expect(renderLaunch(ROLES.launcher, inputs, inRegion(), '/o', [])).toEqual({
      plan: {
        role: 'launcher',
        files: [
          { input: 'PIPED_CONFIG', path: '/o/piped-config.yaml', contents: Buffer.from(PIPED_WITH_KEY_FILE) },
          { input: 'PIPED_KEY', path: '/o/piped-key', contents: Buffer.from('the-key') },
        ],
        args: ['launcher', '--config-file=/o/piped-config.yaml'],
      },
      warnings: [
        `${LABEL}: written once to a file, so the launcher will not restart piped when it changes at its source: the config is rewritten: spec.pipedKeyFile is set to the file written from PIPED_KEY`,
      ],
    });
  });

  it('with PIPECD_BOOTSTRAP_LAUNCHER_CONFIG=source, a config the launcher cannot read from its source is refused', () => {
    const inputs = [fromSecret(), envInput(INPUTS.pipedKey, 'the-key')];
    expect(described(failure(() => renderLaunch(ROLES.launcher, inputs, inRegion('source'), '/o', [])))).toEqual({
      exitCode: 64,
      message: `${LABEL}: PIPECD_BOOTSTRAP_LAUNCHER_CONFIG=source, but the launcher cannot read it from its source: the config is rewritten: spec.pipedKeyFile is set to the file written from PIPED_KEY`,
      hint: 'give the config as a plain reference to base64 YAML in a SecretString (no JSON key, no PIPED_KEY), or set PIPECD_BOOTSTRAP_LAUNCHER_CONFIG=file',
    });
  });
});
