import { describe, expect, it } from 'vitest';
import { helpText } from '../../src/cli/help.js';

/** --help is generated from the role, input and setting tables; these lines are what a user reads. */
const text = helpText('1.2.3');
const lines = text.split('\n');

describe('--help', () => {
  it('starts with the name and the version', () => {
    expect(lines[0]).toBe('pipecd-bootstrap 1.2.3: fetch PipeCD secrets, render and validate config files, then exec the program.');
  });

  it.each([
    [
      '  server    pipecd server (control plane API and web)',
      '            inputs: CONTROL_PLANE_CONFIG, ENCRYPTION_KEY, MYSQL_USERNAME (optional), MYSQL_PASSWORD (optional); settings: DATASTORE_HOST, CACHE_ADDRESS',
    ],
    [
      '  ops       pipecd ops (control plane housekeeping)',
      '            inputs: CONTROL_PLANE_CONFIG, MYSQL_USERNAME (optional), MYSQL_PASSWORD (optional); settings: DATASTORE_HOST, CACHE_ADDRESS',
    ],
    ['  gateway   envoy (control plane gateway)', '            inputs: ENVOY_CONFIG'],
    ['  piped     piped (the deployment agent)', '            inputs: PIPED_CONFIG, PIPED_KEY (optional)'],
    [
      '  launcher  launcher (runs the piped version set in the control plane)',
      '            inputs: PIPED_CONFIG, PIPED_KEY (optional); settings: LAUNCHER_CONFIG',
    ],
  ])('lists the role: %s', (summary, inputs) => {
    const at = lines.indexOf(summary);
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe(inputs);
  });

  it('lists every setting with its flag, variable and meaning, in table order', () => {
    const start = lines.indexOf('Settings (flag over env):');
    expect(lines.slice(start + 1, start + 9)).toEqual([
      '  --datastore-host HOST   DATASTORE_HOST                    replaces the host in spec.datastore.config.url (MYSQL)',
      '  --cache-address ADDR    CACHE_ADDRESS                     passed as --cache-address= (server, ops)',
      '  --launcher-config MODE  PIPECD_BOOTSTRAP_LAUNCHER_CONFIG  auto (default): hand the launcher its config source when it can read it, for its reload; source; file',
      '  --output-dir DIR        PIPECD_BOOTSTRAP_DIR              where files are written (default /tmp/pipecd-bootstrap)',
      "  --owner UID[:GID]       PIPECD_BOOTSTRAP_OWNER            write: the files' owner (default: the program's user in its official image)",
      '  --binary PATH|NAME      PIPECD_BINARY                     the program (default: found on PATH)',
      '  --timeout SECONDS       PIPECD_BOOTSTRAP_TIMEOUT          deadline for fetching secrets (default 30)',
      '  --log-encoding ENC      PIPECD_BOOTSTRAP_LOG_ENCODING     json (default) or humanize',
    ]);
    expect(lines[start + 9]).toBe('');
  });

  it('lists the input flags of every input once', () => {
    expect(lines).toContain(
      '  input flags: --control-plane-config-{secret,file,encoding} --encryption-key-{secret,file,encoding} --mysql-username-{secret,file,encoding} --mysql-password-{secret,file,encoding} --envoy-config-{secret,file,encoding} --piped-config-{secret,file,encoding} --piped-key-{secret,file,encoding}',
    );
  });

  it('documents the exit codes', () => {
    expect(text).toContain(
      "Exit codes: 64 usage, 65 bad input data, 69 Secrets Manager or SSM unavailable, 70 internal error,\n73 cannot write files, 77 permission denied, 78 secret, parameter or file not found, 126 program not\nexecutable, 127 program not found; after exec, the program's own.\n",
    );
    expect(text.endsWith("the program's own.\n")).toBe(true);
  });
});
