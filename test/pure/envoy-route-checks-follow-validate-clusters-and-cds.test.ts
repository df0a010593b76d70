import { describe, expect, it } from 'vitest';
import { INPUTS } from '../../src/inputs/catalog.js';
import { renderLaunch } from '../../src/render/plan.js';
import { ROLES } from '../../src/roles/index.js';
import { described, envInput, failure, NO_SETTINGS } from './support/render.js';

/**
 * The gateway is refused before start only when envoy itself would refuse its bootstrap: a route
 * in an inline route table naming a cluster the file does not define, unless the table sets
 * validate_clusters to false (as a bool or a BoolValue) or clusters come from CDS, where the file
 * does not hold them all. Only a `route` action names a cluster; a `cluster` key elsewhere is not
 * a route. A bootstrap that is not a mapping at all is refused as such.
 */

const LABEL = 'ENVOY_CONFIG (env ENVOY_CONFIG)';
const render = (config: string) => renderLaunch(ROLES.gateway, [envInput(INPUTS.envoyConfig, config)], NO_SETTINGS, '/o', []);
const refusal = (config: string) => described(failure(() => render(config)));
const accepted = (config: string) => expect(render(config).plan.files[0]!.contents.toString()).toBe(config);

/** One listener whose inline route table holds `table` (indented under route_config), and one cluster, `known`. */
const bootstrap = (table: string, extra = '') => `${extra}static_resources:
  listeners:
    - name: l
      filter_chains:
        - filters:
            - name: hcm
              typed_config:
                route_config:
${table}
  clusters:
    - name: known
`;

const TO_NOWHERE = `                  virtual_hosts:
                    - name: all
                      routes:
                        - route: { cluster: nowhere }`;
const NOWHERE_AT =
  'static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes[0].route.cluster (line 12, column 45): names a cluster that static_resources.clusters does not define';

describe('envoy: which route tables are checked', () => {
  it('a route to an undefined cluster is refused', () => {
    expect(refusal(bootstrap(TO_NOWHERE))).toEqual({ exitCode: 65, message: `${LABEL}: ${NOWHERE_AT}`, hint: undefined });
  });

  it.each([
    ['validate_clusters: false', '                  validate_clusters: false'],
    ['validate_clusters: { value: false }', '                  validate_clusters: { value: false }'],
  ])('with %s the table is not checked', (_what, setting) => {
    accepted(bootstrap(`${setting}\n${TO_NOWHERE}`));
  });

  it.each([
    ['validate_clusters: true', '                  validate_clusters: true'],
    ['validate_clusters: { value: true }', '                  validate_clusters: { value: true }'],
  ])('with %s the table is checked', (_what, setting) => {
    const at = NOWHERE_AT.replace('line 12', 'line 13');
    expect(refusal(bootstrap(`${setting}\n${TO_NOWHERE}`))).toEqual({ exitCode: 65, message: `${LABEL}: ${at}`, hint: undefined });
  });

  it.each([
    ['cds_config', 'dynamic_resources:\n  cds_config: { ads: {} }\n'],
    ['cds_resources_locator', 'dynamic_resources:\n  cds_resources_locator: xdstp://example/envoy.config.cluster.v3.Cluster/*\n'],
  ])('with clusters from CDS (%s) no route is checked', (_what, dynamic) => {
    accepted(bootstrap(TO_NOWHERE, dynamic));
  });

  it.each([
    ['only LDS', 'dynamic_resources:\n  lds_config: { ads: {} }\n'],
    ['an empty mapping', 'dynamic_resources: {}\n'],
  ])('with dynamic_resources holding %s the routes are still checked', (_what, dynamic) => {
    const lines = dynamic.split('\n').length - 1;
    const at = NOWHERE_AT.replace('line 12', `line ${12 + lines}`);
    expect(refusal(bootstrap(TO_NOWHERE, dynamic))).toEqual({ exitCode: 65, message: `${LABEL}: ${at}`, hint: undefined });
  });
});

describe('envoy: only a route action names a cluster', () => {
  it('a `cluster` key in a mapping that is not a route action is not a cluster reference', () => {
    accepted(
      bootstrap(`                  virtual_hosts:
                    - name: all
                      routes:
                        - route: { cluster: known }
                          metadata: { cluster: nowhere }
                          typed_per_filter_config:
                            x: { cluster: nowhere, weighted_clusters: { clusters: [{ name: nowhere }] } }`),
    );
  });
});

describe('envoy: the bootstrap must be a mapping', () => {
  it.each([
    ['a list', '- static_resources\n'],
    ['a scalar', 'static_resources\n'],
  ])('%s is refused', (_what, config) => {
    expect(refusal(config)).toEqual({
      exitCode: 65,
      message: `${LABEL}: (document) (line 1, column 1): must be a mapping`,
      hint: undefined,
    });
  });
});
