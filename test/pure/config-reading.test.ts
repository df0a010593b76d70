/**
 * How configs are read (README "How configs are read"): PipeCD's decoding rules, in-process
 * against src/render, one row per rule. Accepted rows are also accepted by the Go oracle
 * (test/pure/oracle.property.test.ts runs them through it).
 */
import { describe, expect, it } from 'vitest';
import { validateControlPlane } from '../../src/render/control-plane.js';
import { validateEnvoy } from '../../src/render/envoy.js';
import { validatePiped } from '../../src/render/piped.js';
import { parseYaml } from '../../src/render/yaml-document.js';
import { CP, CP_ACCEPTED, CP_REFUSED, PIPED_ACCEPTED, PIPED_REFUSED } from '../helpers/config-rules.js';

const cp = (text: string) => validateControlPlane(parseYaml(text, CP));
const piped = (text: string) => validatePiped(parseYaml(text, 'PIPED_CONFIG (env PIPED_CONFIG)'));
const envoy = (text: string) => validateEnvoy(parseYaml(text, 'ENVOY_CONFIG (env ENVOY_CONFIG)'));

describe('control-plane configs are read as PipeCD reads them', () => {
  it.each(CP_ACCEPTED)('accepted: %s', (_, text) => expect(() => cp(text)).not.toThrow());
  it.each(CP_REFUSED)('refused: %s', (_, text, message) => expect(() => cp(text)).toThrow(`${CP}: ${message}`));
});

describe('piped configs load if either piped generation loads them', () => {
  it.each(PIPED_ACCEPTED)('accepted: %s', (_, text) => expect(() => piped(text)).not.toThrow());
  it.each(PIPED_REFUSED)('refused: %s', (_, text, message) =>
    expect(() => piped(text)).toThrow(`PIPED_CONFIG (env PIPED_CONFIG): ${message}`),
  );
});

const LISTENER = `    - name: l
      address: {socket_address: {address: 0.0.0.0, port_value: 9090}}
      filter_chains:
        - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: s
                route_config:
                  VALIDATE
                  virtual_hosts:
                    - name: v
                      domains: ["*"]
                      routes:
                        - match: {prefix: /}
                          route: {cluster: remote}
`;
const listener = (validate = '') =>
  LISTENER.replace('                  VALIDATE\n', validate ? `                  validate_clusters: ${validate}\n` : '');

const ENVOY_ACCEPTED: [string, string][] = [
  ['an admin-only bootstrap', 'admin:\n  address: {socket_address: {address: 0.0.0.0, port_value: 9095}}\n'],
  [
    'ADS',
    'dynamic_resources:\n  ads_config: {api_type: GRPC, grpc_services: [{envoy_grpc: {cluster_name: xds}}]}\n  cds_config: {ads: {}}\n  lds_config: {ads: {}}\nstatic_resources:\n  clusters:\n    - name: xds\n',
  ],
  [
    'file-based LDS and CDS',
    'dynamic_resources:\n  lds_config: {path_config_source: {path: /etc/envoy/lds.yaml}}\n  cds_config: {path_config_source: {path: /etc/envoy/cds.yaml}}\n',
  ],
  ['validate_clusters: false with an undefined cluster', `static_resources:\n  listeners:\n${listener('false')}`],
  ['validate_clusters {value: false}', `static_resources:\n  listeners:\n${listener('{value: false}')}`],
  [
    'a route to a CDS cluster',
    `dynamic_resources:\n  cds_config: {path_config_source: {path: /c.yaml}}\nstatic_resources:\n  listeners:\n${listener()}`,
  ],
];
const ENVOY_REFUSED: [string, string, string][] = [
  [
    'a route to an undefined static cluster',
    `static_resources:\n  listeners:\n${listener()}  clusters:\n    - name: local\n`,
    'static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes[0].route.cluster (line 17, column 44): names a cluster that static_resources.clusters does not define',
  ],
  [
    'a route to an undefined cluster with validate_clusters: true',
    `static_resources:\n  listeners:\n${listener('true')}`,
    'static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes[0].route.cluster (line 18, column 44): names a cluster that static_resources.clusters does not define',
  ],
  [
    'a cluster without a name',
    'static_resources:\n  clusters:\n    - type: STATIC\n',
    'static_resources.clusters[0].name (line 3, column 7): is required',
  ],
];

describe('envoy configs: refused only where envoy refuses', () => {
  it.each(ENVOY_ACCEPTED)('accepted: %s', (_, text) => expect(() => envoy(text)).not.toThrow());
  it.each(ENVOY_REFUSED)('refused: %s', (_, text, message) =>
    expect(() => envoy(text)).toThrow(`ENVOY_CONFIG (env ENVOY_CONFIG): ${message}`),
  );
});
