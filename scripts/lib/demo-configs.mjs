// The embedded default configs of the demo and the benchmark (the ECS demo's control plane with
// MySQL and S3, a minimal envoy gateway, a piped), which the startup snapshot also renders once at
// build time to compile the render path.
export const CONTROL_PLANE = `apiVersion: pipecd.dev/v1beta1
kind: ControlPlane
spec:
  datastore:
    type: MYSQL
    config:
      url: sample:password@tcp(pipecd-mysql:3306)  # the host is replaced by DATASTORE_HOST
      database: quickstart
  filestore:
    type: S3
    config:
      bucket: example-pipecd-control-plane-filestore
      region: ap-northeast-1
  projects:
    - id: quickstart
      staticAdmin:
        username: hello-pipecd
        passwordHash: "$2a$10$ye96mUqUqTnjUqgwQJbJzel/LJibRhUnmzyypACkvrTSnQpVFZ7qK"
`;

export const ENVOY = `admin:
  address: { socket_address: { address: 0.0.0.0, port_value: 9095 } }
static_resources:
  listeners:
    - name: ingress
      address: { socket_address: { address: 0.0.0.0, port_value: 9090 } }
      filter_chains:
        - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                stat_prefix: ingress_http
                http_filters: [{ name: envoy.filters.http.router }]
                route_config:
                  virtual_hosts:
                    - name: envoy
                      domains: ["*"]
                      routes: [{ match: { prefix: / }, route: { cluster: server-http } }]
  clusters:
    - name: server-http
      type: STRICT_DNS
      load_assignment:
        cluster_name: server-http
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: localhost, port_value: 9082 } } } }] }]
`;

export const PIPED = `apiVersion: pipecd.dev/v1beta1
kind: Piped
spec:
  projectID: quickstart
  pipedID: demo-piped
  pipedKeyData: replaced-by-PIPED_KEY
  apiAddress: pipecd.example.com:443
  repositories:
    - repoId: examples
      remote: https://github.com/pipe-cd/examples.git
      branch: master
`;
