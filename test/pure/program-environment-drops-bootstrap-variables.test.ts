import { describe, expect, it } from 'vitest';
import { BOOTSTRAP_VARIABLES } from '../../src/inputs/settings.js';
import { alteredVariables, programEnvironment } from '../../src/launch/program-environment.js';

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

/** Names of the variables Node decoded with U+FFFD in place of bytes that were not UTF-8, told from a real U+FFFD by the raw bytes. */
describe('alteredVariables', () => {
  it('a U+FFFD that is not in the raw bytes marks the variable altered; one that is, or none at all, does not', () => {
    const raw = new Map([
      ['BROKEN', Buffer.from([0x61, 0xff, 0x62])],
      ['REAL', Buffer.from('a\uFFFDb')],
      ['PLAIN', Buffer.from('plain')],
    ]);
    const kept = { BROKEN: 'a\uFFFDb', REAL: 'a\uFFFDb', PLAIN: 'plain', UNSEEN: '\uFFFD' };
    expect(alteredVariables(kept, () => raw)).toEqual(['BROKEN', 'UNSEEN']);
  });

  it('without the raw environment every variable holding U+FFFD is named', () => {
    expect(alteredVariables({ A: 'x\uFFFD', B: 'y', C: '\uFFFD' }, () => undefined)).toEqual(['A', 'C']);
  });

  it('with no U+FFFD anywhere the raw environment is not even read', () => {
    let reads = 0;
    const raw = () => {
      reads++;
      return new Map<string, Buffer>();
    };
    expect(alteredVariables({ A: 'x', B: '' }, raw)).toEqual([]);
    expect(alteredVariables({}, raw)).toEqual([]);
    expect(reads).toBe(0);
  });
});
