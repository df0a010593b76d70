import { describe, expect, it } from 'vitest';
import { BOOTSTRAP_VARIABLES } from '../../src/inputs/settings.js';
import { programEnvironment } from '../../src/launch/program-environment.js';

/** The program gets the container's environment minus every variable meant for the bootstrapper, values and references alike. */
describe("the program's environment", () => {
  it('keeps everything else, exactly', () => {
    const env = {
      PATH: '/usr/bin',
      HOME: '/root',
      AWS_REGION: 'us-east-1',
      EMPTY: '',
      ENCRYPTION_KEY: 'k'.repeat(40),
      ENCRYPTION_KEY_SECRET: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:k',
      CONTROL_PLANE_CONFIG_FILE: '/c',
      CONTROL_PLANE_CONFIG_ENCODING: 'base64',
      MYSQL_PASSWORD_SECRET: 'db:password',
      PIPED_KEY: 'piped-key',
      DATASTORE_HOST: 'db',
      CACHE_ADDRESS: 'redis:6379',
      PIPECD_BOOTSTRAP_ROLE: 'piped',
      PIPECD_BOOTSTRAP_DIR: '/o',
      PIPECD_BINARY: 'piped',
      PIPECD_BOOTSTRAP_TIMEOUT: '3',
      PIPECD_BOOTSTRAP_LOG_ENCODING: 'json',
      MY_APP_SECRET: 'not ours',
      UNSET: undefined,
    };
    expect(programEnvironment(env, BOOTSTRAP_VARIABLES)).toEqual({
      PATH: '/usr/bin',
      HOME: '/root',
      AWS_REGION: 'us-east-1',
      EMPTY: '',
      MY_APP_SECRET: 'not ours',
    });
  });

  it('drops only what it is told to', () => {
    expect(programEnvironment({ A: '1', B: '2' }, ['B'])).toEqual({ A: '1' });
    expect(programEnvironment({ A: '1' }, [])).toEqual({ A: '1' });
  });
});
