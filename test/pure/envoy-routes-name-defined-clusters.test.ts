import { describe, expect, it } from 'vitest';
import { INPUTS } from '../../src/inputs/catalog.js';
import { renderLaunch } from '../../src/render/plan.js';
import { ROLES } from '../../src/roles/index.js';
import { described, ENVOY, envInput, failure, NO_SETTINGS } from './support/render.js';

const LABEL = 'ENVOY_CONFIG (env ENVOY_CONFIG)';
const render = (config: string) => renderLaunch(ROLES.gateway, [envInput(INPUTS.envoyConfig, config)], NO_SETTINGS, '/o', []);
const ROUTES = 'static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes';

describe('envoy: every route names a defined cluster', () => {
  it('a cluster and weighted clusters that are all defined', () => {
    expect(render(ENVOY).plan.files[0]!.contents.toString()).toBe(ENVOY);
  });

  it.each([
    [
      'a route to an undefined cluster',
      ENVOY.replace('route: { cluster: grpc }', 'route: { cluster: nope }'),
      `${ROUTES}[0].route.cluster (line 13, column 45): names a cluster that static_resources.clusters does not define`,
    ],
    [
      'a weighted cluster that is not defined',
      ENVOY.replace(
        '- name: grpc\n                                  weight: 10',
        '- name: nope\n                                  weight: 10',
      ),
      `${ROUTES}[1].route.weighted_clusters.clusters[1].name (line 20, column 41): names a cluster that static_resources.clusters does not define`,
    ],
    [
      'a weighted cluster without a name',
      ENVOY.replace('- name: grpc\n                                  weight: 10', '- weight: 10'),
      `${ROUTES}[1].route.weighted_clusters.clusters[1].name (line 20, column 35): names a cluster that static_resources.clusters does not define`,
    ],
    [
      'a cluster name that is not a string',
      ENVOY.replace('route: { cluster: grpc }', 'route: { cluster: 7 }'),
      `${ROUTES}[0].route.cluster (line 13, column 45): names a cluster that static_resources.clusters does not define`,
    ],
    [
      'a cluster without a name',
      'static_resources:\n  listeners:\n    - name: l\n  clusters:\n    - type: STATIC\n',
      'static_resources.clusters[0].name (line 5, column 7): is required',
    ],
  ])('refuses %s', (_what, config, where) => {
    expect(described(failure(() => render(config)))).toEqual({ exitCode: 65, message: `${LABEL}: ${where}`, hint: undefined });
  });
});
