/**
 * A value the bootstrapper writes (a database name moved out of the url, a host, a key file path)
 * must read back as the string it is. Written plain, `123`, `on`, `~` or `0x1F` would be a number,
 * a boolean or null to go-yaml v2, and the rewrite was refused although PipeCD starts with the
 * config as given; such a value is double-quoted, anything else stays plain, as before.
 */
import { describe, expect, it } from 'vitest';
import { rewriteDatastore } from '../../src/render/control-plane.js';
import { usePipedKeyFile } from '../../src/render/piped.js';
import { parseYaml } from '../../src/render/yaml-document.js';
import { PIPED } from './support/render.js';

const CP = 'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG)';
const CREDS = { usernameFile: '/tmp/u', passwordFile: '/tmp/p' };

const controlPlane = (url: string) =>
  `apiVersion: "pipecd.dev/v1beta1"\nkind: ControlPlane\nspec:\n  stateKey: k\n  datastore:\n    type: MYSQL\n    config:\n      url: ${url}\n  filestore: {type: S3, config: {bucket: b, region: r}}\n`;

describe('a database moved out of the url is written so that it reads back as the name', () => {
  it.each([
    ['123', '"123"'],
    ['on', '"on"'],
    ['NO', '"NO"'],
    ['null', '"null"'],
    ['0x1F', '"0x1F"'],
    ['1e3', '"1e3"'],
    ['1_000', '"1_000"'],
    ['pipecd', 'pipecd'],
    ['db-1', 'db-1'],
    ['1e', '1e'],
    ['2001-12-14', '2001-12-14'],
  ])('database %s is written as %s', (database, written) => {
    const input = controlPlane(`"u:p@tcp(h:3306)/${database}"`);
    const out = rewriteDatastore(parseYaml(input, CP), { datastoreHost: undefined, cacheAddress: undefined }, CREDS)!;
    expect(out.text).toBe(
      input.replace(
        `"u:p@tcp(h:3306)/${database}"`,
        `"h:3306"\n      database: ${written}\n      usernameFile: /tmp/u\n      passwordFile: /tmp/p`,
      ),
    );
    expect((out.plain as { spec: { datastore: { config: { database: unknown } } } }).spec.datastore.config.database).toBe(database);
  });

  it('in a flow mapping too', () => {
    const flow = controlPlane(`{url: "u:p@tcp(h:3306)/yes"}`).replace(
      `    config:\n      url: {url: "u:p@tcp(h:3306)/yes"}\n`,
      `    config: {url: "u:p@tcp(h:3306)/yes"}\n`,
    );
    const out = rewriteDatastore(parseYaml(flow, CP), { datastoreHost: undefined, cacheAddress: undefined }, CREDS)!;
    expect(out.text).toBe(
      flow.replace('{url: "u:p@tcp(h:3306)/yes"}', '{url: "h:3306", database: "yes", usernameFile: /tmp/u, passwordFile: /tmp/p}'),
    );
  });
});

describe('a value set in place over a plain scalar', () => {
  it.each([
    ['/etc/piped/key', '/etc/piped/key'],
    ['0777', '"0777"'],
    ['true', '"true"'],
    ['~', '"~"'],
  ])('PIPED_KEY file %s is written as %s', (keyFile, written) => {
    const input = PIPED.replace('  pipedKeyData: inline-key\n', '  pipedKeyFile: old\n');
    const out = usePipedKeyFile(parseYaml(input, 'PIPED_CONFIG'), keyFile);
    expect(out.text).toBe(input.replace('pipedKeyFile: old', `pipedKeyFile: ${written}`));
  });
});
