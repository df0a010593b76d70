import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorLine, fixture, makeSandbox, start } from './helpers/bundle.js';
import { createSecret } from './helpers/secrets.js';
import { b64 } from './helpers/values.js';
import { observe } from './helpers/reliability.js';

const controlPlane = fixture('control-plane-ecs-demo.yaml');
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cp-AbCdEf';

interface Case {
  name: string;
  role?: 'server' | 'ops' | 'gateway' | 'piped';
  env?: Record<string, string>;
  args?: string[];
  code?: number;
  /** The error line, exactly or as a pattern. */
  message: string | RegExp;
}

const ops = (config: string): Record<string, string> => ({ CONTROL_PLANE_CONFIG: config });

const CASES: Case[] = [
  {
    name: 'malformed base64',
    env: { ...ops(''), CONTROL_PLANE_CONFIG: 'abc$', CONTROL_PLANE_CONFIG_ENCODING: 'base64' },
    message: 'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG): is not valid base64 (standard alphabet, canonical padding)',
  },
  {
    name: 'base64 of binary garbage',
    env: ops(Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x81, 0x82]).toString('base64')),
    message: 'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG): decodes from base64 to bytes that are not UTF-8 text',
  },
  {
    name: 'invalid UTF-8 in a file',
    message: 'CONTROL_PLANE_CONFIG (file {dir}/bad.yaml from env CONTROL_PLANE_CONFIG_FILE): is not valid UTF-8',
    env: { CONTROL_PLANE_CONFIG_FILE: '{dir}/bad.yaml' },
  },
  {
    name: 'invalid YAML',
    env: ops('apiVersion: pipecd.dev/v1beta1\nkind: [ControlPlane\n'),
    message: /^CONTROL_PLANE_CONFIG \(env CONTROL_PLANE_CONFIG\): invalid YAML \(line \d+, column \d+\): /,
  },
  {
    name: 'a YAML alias bomb',
    env: ops(
      `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`,
    ),
    message:
      'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG): YAML aliases expand to too many nodes (more than 10000); resource exhaustion refused',
  },
  {
    name: 'a duplicate key whose last value is wrong',
    env: ops(controlPlane.replace('kind: ControlPlane', 'kind: ControlPlane\nkind: Piped')),
    message: 'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG): kind (line 3, column 7): must be ControlPlane',
  },
  {
    name: 'an unknown key in cache',
    env: ops(controlPlane.replace('  projects:', '  cache:\n    size: 1\n  projects:')),
    message: 'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG): spec.cache.size (line 15, column 5): is not a known key here',
  },
  {
    name: 'an unknown sharedSSOConfigs provider',
    env: ops(`${controlPlane}  sharedSSOConfigs:\n    - name: sso\n      provider: GITLAB\n`),
    message:
      'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG): spec.sharedSSOConfigs[0].provider (line 21, column 17): must be one of GITHUB, GOOGLE, OIDC',
  },
  {
    name: 'a MySQL url naming a database while database is set',
    env: ops(controlPlane.replace('tcp(pipecd-mysql:3306)', 'tcp(pipecd-mysql:3306)/other')),
    message:
      'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG): spec.datastore.config.database (line 8, column 19): is set while url already names a database; PipeCD would join them into an address the MySQL driver refuses',
  },
  {
    name: 'a __proto__ key',
    env: ops(controlPlane.replace('  projects:', '  __proto__:\n    polluted: true\n  projects:')),
    message: 'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG): key "__proto__" (line 14, column 3) is not allowed in a config',
  },
  {
    name: 'a constructor key',
    role: 'piped',
    env: { PIPED_CONFIG: fixture('piped-full.yaml').replace('  syncInterval: 1m', '  constructor:\n    prototype: 1') },
    message: /key "constructor" \(line 9, column 3\) is not allowed in a config$/,
  },
  {
    name: 'a wrong kind',
    env: ops(controlPlane.replace('kind: ControlPlane', 'kind: Piped')),
    message: 'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG): kind (line 2, column 7): must be ControlPlane',
  },
  {
    name: 'a wrong apiVersion',
    env: ops(controlPlane.replace('"pipecd.dev/v1beta1"', 'pipecd.dev/v1')),
    message: 'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG): apiVersion (line 1, column 13): must be pipecd.dev/v1beta1',
  },
  {
    name: 'an unknown spec key',
    env: ops(controlPlane.replace('  projects:', '  projcts:')),
    message: 'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG): spec.projcts (line 14, column 3): is not a known key here',
  },
  {
    name: 'a MySQL datastore without url',
    env: ops(controlPlane.replace(/ *url: .*\n/, '')),
    message: 'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG): spec.datastore.config.url (line 7, column 9): is required',
  },
  {
    name: 'an S3 filestore without region',
    env: ops(controlPlane.replace(/ *region: .*\n/, '')),
    message: 'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG): spec.filestore.config.region (line 12, column 7): is required',
  },
  {
    name: 'an unknown datastore type',
    env: ops(controlPlane.replace('type: MYSQL', 'type: POSTGRES')),
    message: 'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG): spec.datastore.type (line 5, column 11): must be one of MYSQL, FIRESTORE',
  },
  {
    name: 'DATASTORE_HOST with a Firestore datastore',
    env: { ...ops(fixture('control-plane-firestore-gcs.yaml')), DATASTORE_HOST: 'db' },
    message:
      'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG): spec.datastore.type (line 20, column 11): must be MYSQL when DATASTORE_HOST is set',
  },
  {
    name: 'DATASTORE_HOST with a port',
    code: 64,
    env: { ...ops(controlPlane), DATASTORE_HOST: 'db:3307' },
    message: 'DATASTORE_HOST (--datastore-host): must be a host name or [IPv6] address, without a port',
  },
  {
    name: 'a YAML stream with no document',
    env: ops('# only a comment\n'),
    message: 'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG): holds no YAML document',
  },
  {
    name: 'a 10 MB value',
    env: { CONTROL_PLANE_CONFIG_FILE: '{dir}/big.yaml' },
    message: 'CONTROL_PLANE_CONFIG (file {dir}/big.yaml from env CONTROL_PLANE_CONFIG_FILE): is 10485760 bytes; the limit is 1048576',
  },
  { name: 'an empty value', env: ops(''), message: 'CONTROL_PLANE_CONFIG (env CONTROL_PLANE_CONFIG): is empty' },
  {
    name: 'a JSON key missing from a JSON secret',
    env: { CONTROL_PLANE_CONFIG_SECRET: '{json}:nokey' },
    message: /: the secret's JSON object has no key "nokey"$/,
  },
  {
    name: 'a JSON secret that is not an object',
    env: { CONTROL_PLANE_CONFIG_SECRET: '{array}:config' },
    message: /: the secret is JSON but not an object, so JSON key "config" cannot be read$/,
  },
  {
    name: 'a reference with a bad ARN',
    env: { CONTROL_PLANE_CONFIG_SECRET: 'arn:aws:secretsmanager:us-east-1:12345:secret:x' },
    message:
      'CONTROL_PLANE_CONFIG: env CONTROL_PLANE_CONFIG_SECRET is not a Secrets Manager ARN (arn:aws|aws-cn|aws-us-gov:secretsmanager:REGION:ACCOUNT:secret:NAME)',
  },
  {
    name: 'an empty reference',
    code: 64,
    env: { CONTROL_PLANE_CONFIG_SECRET: '' },
    message: 'CONTROL_PLANE_CONFIG: env CONTROL_PLANE_CONFIG_SECRET is set but empty',
  },
  {
    name: 'a reference with too many fields',
    env: { CONTROL_PLANE_CONFIG_SECRET: `${ARN}:k:AWSCURRENT:id:extra` },
    message: 'CONTROL_PLANE_CONFIG: env CONTROL_PLANE_CONFIG_SECRET has more than ARN-or-name:json-key:version-stage:version-id',
  },
  {
    name: 'two sources for one input',
    env: { ...ops(controlPlane), CONTROL_PLANE_CONFIG_SECRET: ARN },
    message: 'CONTROL_PLANE_CONFIG: given by both env CONTROL_PLANE_CONFIG and env CONTROL_PLANE_CONFIG_SECRET',
  },
  {
    name: 'an encryption key under 32 bytes',
    role: 'server',
    env: { ...ops(controlPlane), ENCRYPTION_KEY: 'x'.repeat(31) },
    message: 'ENCRYPTION_KEY (env ENCRYPTION_KEY): is 31 bytes; PipeCD needs at least 32',
  },
  {
    name: 'a piped config without pipedKeyFile or pipedKeyData',
    role: 'piped',
    env: { PIPED_CONFIG: fixture('piped-full.yaml').replace('  pipedKeyFile: etc/piped/key\n', '') },
    message:
      'PIPED_CONFIG (env PIPED_CONFIG): spec.pipedKeyFile (line 4, column 3): needs exactly one of pipedKeyFile and pipedKeyData (or set PIPED_KEY)',
  },
  {
    name: 'an envoy route to an undefined cluster',
    role: 'gateway',
    env: {
      ENVOY_CONFIG: fixture('envoy-ecs-demo.yaml').replace(
        'cluster: grpc-api-service\n                    prefix_rewrite',
        'cluster: grpc-nowhere\n                    prefix_rewrite',
      ),
    },
    message:
      /^ENVOY_CONFIG \(env ENVOY_CONFIG\): static_resources\.listeners\[0\]\.filter_chains\[0\]\.filters\[0\]\.typed_config\.route_config\.virtual_hosts\[0\]\.routes\[5\]\.route\.cluster \(line 71, column 30\): names a cluster that static_resources\.clusters does not define$/,
  },
  {
    name: 'MYSQL_USERNAME without MYSQL_PASSWORD',
    env: { ...ops(controlPlane), MYSQL_USERNAME: 'u' },
    message: 'MYSQL_USERNAME and MYSQL_PASSWORD: give both or neither',
  },
  {
    name: 'an unknown encoding',
    code: 64,
    env: { ...ops(controlPlane), CONTROL_PLANE_CONFIG_ENCODING: 'hex' },
    message: 'CONTROL_PLANE_CONFIG_ENCODING: must be raw, base64 or auto',
  },
  { name: 'an unknown flag', code: 64, env: ops(controlPlane), args: ['--no-such-flag'], message: /^Unknown option '--no-such-flag'/ },
  {
    name: 'an unknown role',
    code: 64,
    role: 'controller' as 'ops',
    env: {},
    message: 'unknown role "controller": expected one of server, ops, gateway, piped, launcher',
  },
];

describe('bad input: a one-line error naming the input, exit 65 (64 for misuse), nothing written or started', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const sandbox = makeSandbox();
      writeFileSync(
        join(sandbox.root, 'bad.yaml'),
        Buffer.concat([Buffer.from('apiVersion: pipecd.dev/v1beta1\nkind: '), Buffer.from([0xc3, 0x28])]),
      );
      writeFileSync(join(sandbox.root, 'big.yaml'), Buffer.alloc(10 * 1024 * 1024, 0x61));
      const json = c.env?.CONTROL_PLANE_CONFIG_SECRET?.startsWith('{json}')
        ? await createSecret('cp-json', JSON.stringify({ config: controlPlane }))
        : undefined;
      const array = c.env?.CONTROL_PLANE_CONFIG_SECRET?.startsWith('{array}')
        ? await createSecret('cp-array', JSON.stringify([controlPlane]))
        : undefined;
      const fill = (text: string) =>
        text
          .replaceAll('{dir}', sandbox.root)
          .replace('{json}', json?.arn ?? '')
          .replace('{array}', array?.arn ?? '');
      const env = Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, fill(v)]));
      const r = await start({ sandbox, args: [c.role ?? 'ops', ...(c.args ?? [])], env });
      expect(r.code).toBe(c.code ?? 65);
      const errors = r.logs.filter((l) => l.level === 'error');
      const message = String(errors[0]?.msg);
      const expected = typeof c.message === 'string' ? fill(c.message) : `/${c.message.source}/`;
      observe(
        'bad input',
        c.name,
        `exit ${c.code ?? 65}: ${expected}`,
        `exit ${r.code}: ${message}${r.record ? ' (program started!)' : ''}`,
      );
      expect(errors).toHaveLength(1);
      expect(message).not.toContain('\n');
      if (typeof c.message === 'string') expect(message).toBe(fill(c.message));
      else expect(message).toMatch(c.message);
      expect(r.record).toBeUndefined();
    });
  }

  it('a config in base64 that is valid passes the same checks (control)', async () => {
    const r = await start({ args: ['ops'], env: { CONTROL_PLANE_CONFIG: b64(controlPlane) } });
    expect(r.code).toBe(0);
    expect(errorLine(r)).toBeUndefined();
  });
});
