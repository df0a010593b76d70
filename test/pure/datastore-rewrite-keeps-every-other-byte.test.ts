import { describe, expect, it } from 'vitest';
import type { ResolvedInput, Settings } from '../../src/domain.js';
import { INPUTS } from '../../src/inputs/catalog.js';
import { renderLaunch } from '../../src/render/plan.js';
import { ROLES } from '../../src/roles/index.js';
import { CONTROL_PLANE, described, envInput, failure, NO_SETTINGS } from './support/render.js';

const KEY = 'k'.repeat(40);
const LABEL = 'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG)';

function render(config: string, settings: Settings = NO_SETTINGS, credentials = false) {
  const inputs: ResolvedInput[] = [envInput(INPUTS.controlPlaneConfig, config), envInput(INPUTS.encryptionKey, KEY)];
  if (credentials) inputs.push(envInput(INPUTS.mysqlUsername, 'user'), envInput(INPUTS.mysqlPassword, 'pass'));
  return renderLaunch(ROLES.server, inputs, settings, '/o', []);
}
const configOf = (config: string, settings: Settings = NO_SETTINGS, credentials = false) =>
  render(config, settings, credentials).plan.files[0]!.contents.toString('utf8');
const withUrl = (url: string, database?: string) =>
  CONTROL_PLANE.replace('sample:password@tcp(pipecd-mysql:3306)', url).replace(
    '      database: quickstart\n',
    database === undefined ? '' : `      database: ${database}\n`,
  );
const HOST: Settings = { datastoreHost: 'db.internal', cacheAddress: undefined };

describe('the datastore rewrite', () => {
  it('nothing to rewrite: the bytes as given', () => {
    expect(configOf(CONTROL_PLANE)).toBe(CONTROL_PLANE);
  });

  it('DATASTORE_HOST: only the host changes; comments and every other line stay', () => {
    expect(configOf(CONTROL_PLANE, HOST)).toBe(CONTROL_PLANE.replace('@tcp(pipecd-mysql:3306)', '@tcp(db.internal:3306)'));
  });

  it('MySQL credentials from inputs: a bare host:port, the files named, the database kept', () => {
    expect(configOf(CONTROL_PLANE, NO_SETTINGS, true)).toBe(
      CONTROL_PLANE.replace('url: sample:password@tcp(pipecd-mysql:3306)', 'url: pipecd-mysql:3306').replace(
        '      database: quickstart\n',
        '      database: quickstart\n      usernameFile: /o/mysql-username\n      passwordFile: /o/mysql-password\n',
      ),
    );
  });

  it('both: the host replaced in the bare address', () => {
    expect(configOf(CONTROL_PLANE, HOST, true)).toContain('      url: db.internal:3306\n');
  });

  it('a database named in the url moves to its own key', () => {
    const text = configOf(withUrl('u:p@tcp(pipecd-mysql:3306)/pipecd'), NO_SETTINGS, true);
    expect(text).toContain('      url: pipecd-mysql:3306\n');
    expect(text).toContain('      database: pipecd\n');
  });

  it('a database in the url that agrees with the key is fine', () => {
    expect(configOf(withUrl('u:p@tcp(pipecd-mysql:3306)/quickstart', 'quickstart'), NO_SETTINGS, true)).toContain(
      '      database: quickstart\n',
    );
  });

  it('the database in the url is enough without the key', () => {
    expect(configOf(withUrl('u:p@tcp(pipecd-mysql:3306)/pipecd'))).toContain('url: u:p@tcp(pipecd-mysql:3306)/pipecd');
  });

  const REFUSED = [
    [
      'a database that contradicts the url',
      withUrl('u:p@tcp(h:3306)/other', 'quickstart'),
      NO_SETTINGS,
      true,
      `${LABEL}: spec.datastore.config.database (line 10, column 17): differs from the database named in url`,
    ],
    [
      'no database at all',
      withUrl('u:p@tcp(h:3306)'),
      NO_SETTINGS,
      false,
      `${LABEL}: spec.datastore.config.database (line 9, column 7): is required (or a /database at the end of url)`,
    ],
    [
      'only a slash for a database',
      withUrl('u:p@tcp(h:3306)/'),
      NO_SETTINGS,
      false,
      `${LABEL}: spec.datastore.config.database (line 9, column 7): is required (or a /database at the end of url)`,
    ],
    [
      'an empty database key',
      withUrl('u:p@tcp(h:3306)', '""'),
      NO_SETTINGS,
      false,
      `${LABEL}: spec.datastore.config.database (line 10, column 17): is required (or a /database at the end of url)`,
    ],
    [
      'query parameters with credential files',
      withUrl('u:p@tcp(h:3306)/db?tls=true'),
      NO_SETTINGS,
      true,
      `${LABEL}: spec.datastore.config.url (line 9, column 12): cannot hold query parameters when MYSQL_USERNAME/MYSQL_PASSWORD are used`,
    ],
    [
      'a url that is not a MySQL address',
      withUrl('mysql://h/db'),
      HOST,
      false,
      `${LABEL}: spec.datastore.config.url (line 9, column 12): must be user:password@tcp(host:port)[/database] or host:port`,
    ],
    [
      'a url that is not a string',
      withUrl('3306'),
      HOST,
      false,
      `${LABEL}: spec.datastore.config.url (line 9, column 12): must be user:password@tcp(host:port)[/database] or host:port`,
    ],
    [
      'DATASTORE_HOST for Firestore',
      CONTROL_PLANE.replace('type: MYSQL', 'type: FIRESTORE'),
      HOST,
      false,
      `${LABEL}: spec.datastore.type (line 6, column 11): must be MYSQL when DATASTORE_HOST is set`,
    ],
    [
      'MySQL credentials for Firestore',
      CONTROL_PLANE.replace('type: MYSQL', 'type: FIRESTORE'),
      NO_SETTINGS,
      true,
      `${LABEL}: spec.datastore.type (line 6, column 11): must be MYSQL when MYSQL_USERNAME and MYSQL_PASSWORD are set`,
    ],
    [
      'a datastore config that is not a mapping',
      'apiVersion: pipecd.dev/v1beta1\nkind: ControlPlane\nspec:\n  datastore:\n    type: MYSQL\n    config: [1]\n',
      HOST,
      false,
      `${LABEL}: spec.datastore.config (line 6, column 13): must be a mapping`,
    ],
  ] as const;

  it.each(REFUSED)('refuses %s, pointing at the line', (_what, config, settings, credentials, message) => {
    expect(described(failure(() => render(config, settings, credentials)))).toEqual({ exitCode: 65, message, hint: undefined });
  });

  it.each([
    ['only MYSQL_USERNAME', [envInput(INPUTS.mysqlUsername, 'u')]],
    ['only MYSQL_PASSWORD', [envInput(INPUTS.mysqlPassword, 'p')]],
  ])('refuses %s', (_what, extra) => {
    const inputs = [envInput(INPUTS.controlPlaneConfig, CONTROL_PLANE), envInput(INPUTS.encryptionKey, KEY), ...extra];
    expect(described(failure(() => renderLaunch(ROLES.server, inputs, NO_SETTINGS, '/o', [])))).toEqual({
      exitCode: 65,
      message: 'MYSQL_USERNAME and MYSQL_PASSWORD: give both or neither',
      hint: 'PipeCD reads the MySQL credentials from two files or from neither',
    });
  });
});
