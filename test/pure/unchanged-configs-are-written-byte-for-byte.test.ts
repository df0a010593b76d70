import { describe, expect, it } from 'vitest';
import { INPUTS } from '../../src/inputs/catalog.js';
import { renderLaunch } from '../../src/render/plan.js';
import { ROLES } from '../../src/roles/index.js';
import { CONTROL_PLANE, described, envInput, failure, NO_SETTINGS, PIPED } from './support/render.js';

/** A config the bootstrapper does not need to change keeps every byte; a rewrite keeps every other line. */
const ODD_CONTROL_PLANE = `apiVersion:   "pipecd.dev/v1beta1"   # quoted, spaced
kind: ControlPlane
spec:
    stateKey:    'k'
    datastore: {type: MYSQL, config: {url: "u:p@tcp(db:3306)/pipecd"}}
    filestore:
        type: MINIO


    projects: [ {id: p} ]
`;
const ODD_PIPED = PIPED.replace('  projectID: quickstart', '  projectID:   "quickstart"    # spaced').replace(
  'kind: Piped',
  'kind:    Piped',
);
const KEY = 'k'.repeat(32);
const LONG = `a description with spaces that is far longer than eighty characters, so that a printer would fold it`;

describe('bytes as given', () => {
  it('a control plane config in an unusual style, with nothing to rewrite', () => {
    const { plan } = renderLaunch(
      ROLES.server,
      [envInput(INPUTS.controlPlaneConfig, ODD_CONTROL_PLANE), envInput(INPUTS.encryptionKey, KEY)],
      NO_SETTINGS,
      '/o',
      [],
    );
    expect(plan.files[0]!.contents.toString()).toBe(ODD_CONTROL_PLANE);
  });

  it('a piped config in an unusual style, without PIPED_KEY', () => {
    const { plan } = renderLaunch(ROLES.piped, [envInput(INPUTS.pipedConfig, ODD_PIPED)], NO_SETTINGS, '/o', []);
    expect(plan.files[0]!.contents.toString()).toBe(ODD_PIPED);
  });

  it('a rewrite does not fold a long line', () => {
    const config = `${CONTROL_PLANE}  projects:\n    - id: p\n      desc: ${LONG}\n`;
    const { plan } = renderLaunch(
      ROLES.server,
      [envInput(INPUTS.controlPlaneConfig, config), envInput(INPUTS.encryptionKey, KEY)],
      { datastoreHost: 'db.internal', cacheAddress: undefined },
      '/o',
      [],
    );
    expect(plan.files[0]!.contents.toString()).toBe(config.replace('tcp(pipecd-mysql:3306)', 'tcp(db.internal:3306)'));
  });
});

describe('the database the url names', () => {
  it.each([
    ['a bare host:port/database', 'pipecd-mysql:3306/pipecd'],
    ['user info and /database', 'u:p@tcp(pipecd-mysql:3306)/pipecd'],
  ])('%s needs no database key', (_what, url) => {
    const config = CONTROL_PLANE.replace('sample:password@tcp(pipecd-mysql:3306)', url).replace('      database: quickstart\n', '');
    expect(
      renderLaunch(ROLES.ops, [envInput(INPUTS.controlPlaneConfig, config)], NO_SETTINGS, '/o', []).plan.files[0]!.contents.toString(),
    ).toBe(config);
  });

  it('a slash in the password is not a database', () => {
    const config = CONTROL_PLANE.replace('sample:password@tcp(pipecd-mysql:3306)', 'sample:pass/word@tcp(pipecd-mysql:3306)').replace(
      '      database: quickstart\n',
      '',
    );
    expect(described(failure(() => renderLaunch(ROLES.ops, [envInput(INPUTS.controlPlaneConfig, config)], NO_SETTINGS, '/o', [])))).toEqual(
      {
        exitCode: 65,
        message:
          'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG): spec.datastore.config.database (line 9, column 7): is required (or a /database at the end of url)',
        hint: undefined,
      },
    );
  });
});

describe('messages', () => {
  it('an optional string of the wrong type says so', () => {
    const config = PIPED.replace('pipedKeyData: inline-key', 'pipedKeyData: 12');
    expect(failure(() => renderLaunch(ROLES.piped, [envInput(INPUTS.pipedConfig, config)], NO_SETTINGS, '/o', [])).message).toBe(
      'PIPED_CONFIG (env PIPED_CONFIG): spec.pipedKeyData (line 6, column 17): must be a string',
    );
  });
});
