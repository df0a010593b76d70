import type { Encoding, InputSpec, ResolvedInput, Settings } from '../../../src/domain.js';
import { BootstrapError } from '../../../src/errors.js';

/** An input given inline in env X, as renderLaunch receives it. */
export function envInput(spec: InputSpec, value: string | Buffer, encoding: Encoding = spec.defaultEncoding): ResolvedInput {
  return { spec, origin: { type: 'env', variable: spec.name }, encoding, bytes: Buffer.isBuffer(value) ? value : Buffer.from(value) };
}

export const NO_SETTINGS: Settings = { datastoreHost: undefined, cacheAddress: undefined };

/** The error `run` throws, checked for its class before anything else. */
export function failure(run: () => unknown): BootstrapError {
  try {
    run();
  } catch (error) {
    if (error instanceof BootstrapError) return error;
    throw new Error(`expected a BootstrapError, got ${String(error)}`);
  }
  throw new Error('expected a BootstrapError, nothing was thrown');
}

/** exit code, message and hint together, so one assertion shows all three. */
export const described = (error: BootstrapError) => ({ exitCode: error.exitCode, message: error.message, hint: error.hint });

export const CONTROL_PLANE = `apiVersion: pipecd.dev/v1beta1
kind: ControlPlane
spec:
  stateKey: some-state-key
  datastore:
    type: MYSQL
    config:
      # the demo's database
      url: sample:password@tcp(pipecd-mysql:3306)
      database: quickstart
  filestore:
    type: MINIO
    config:
      endpoint: http://pipecd-minio:9000
      bucket: quickstart
`;

export const PIPED = `apiVersion: pipecd.dev/v1beta1
kind: Piped
spec:
  projectID: quickstart
  pipedID: piped-1
  pipedKeyData: inline-key
  apiAddress: pipecd-gateway:9090
`;

export const ENVOY = `static_resources:
  listeners:
    - name: ingress
      filter_chains:
        - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                route_config:
                  virtual_hosts:
                    - name: all
                      routes:
                        - match: { prefix: /grpc }
                          route: { cluster: grpc }
                        - match: { prefix: / }
                          route:
                            weighted_clusters:
                              clusters:
                                - name: http
                                  weight: 90
                                - name: grpc
                                  weight: 10
  clusters:
    - name: grpc
    - name: http
`;
