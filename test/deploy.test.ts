import { parse } from '@cdktf/hcl2json';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, ROOT, start } from './helpers/bundle.js';
import { createSecret } from './helpers/secrets.js';
import { b64, newEncryptionKey, newPipedKey } from './helpers/values.js';

/**
 * terraform cannot be installed from the registries these machines reach, so the examples are
 * checked with HashiCorp's own HCL parser (compiled to WebAssembly in @cdktf/hcl2json) and by
 * running what the task definitions and the App Runner service would run against the bundle.
 */
const DEPLOY = join(ROOT, 'deploy');

type Hcl = Record<string, Record<string, Record<string, Record<string, unknown>[]>>>;

async function module(dir: string): Promise<{ hcl: Hcl; text: string }> {
  const text = readFileSync(join(DEPLOY, dir, 'main.tf'), 'utf8');
  return { hcl: (await parse(`${dir}/main.tf`, text)) as Hcl, text };
}

const resource = (hcl: Hcl, type: string, name: string) => hcl.resource?.[type]?.[name]?.[0];

/** The module's roles get their secrets policy from deploy/modules/read-secrets. */
function expectReadSecrets(hcl: Hcl, roles: string[]) {
  expect((hcl as any).module.read_secrets[0].source).toBe('../modules/read-secrets');
  for (const role of roles) expect(resource(hcl, 'aws_iam_role_policy', role)!.policy, role).toBe('${module.read_secrets.json}');
}

/** A container template rendered with the values of `vars`, as templatefile() would. */
function containers(path: string, vars: Record<string, string>): Record<string, any>[] {
  const template = readFileSync(join(DEPLOY, path), 'utf8');
  const placeholders = [...template.matchAll(/\$\{([a-z_]+)\}/g)].map((m) => m[1]!);
  for (const p of placeholders) expect(vars, `${path} uses \${${p}}`).toHaveProperty(p);
  return JSON.parse(template.replace(/\$\{([a-z_]+)\}/g, (_, name: string) => vars[name]!));
}

/** Every variable a templatefile() call passes must be used by the template, and the reverse. */
function templateVariables(text: string, template: string): string[] {
  const call = text.slice(text.indexOf(`containers/${template}`));
  const block = call.slice(call.indexOf('{') + 1, call.indexOf('})'));
  return [...block.matchAll(/^\s*([a-z_]+)\s*=/gm)].map((m) => m[1]!).sort();
}

const placeholdersOf = (path: string) =>
  [...new Set([...readFileSync(join(DEPLOY, path), 'utf8').matchAll(/\$\{([a-z_]+)\}/g)].map((m) => m[1]!))].sort();

const envOf = (container: Record<string, any>) =>
  Object.fromEntries((container.environment ?? []).map((e: { name: string; value: string }) => [e.name, e.value]));

describe('deploy/ examples: HCL that parses, IAM that suffices, commands that the bundle accepts', () => {
  it('every .tf file parses with the HCL parser, and a broken one does not (control)', async () => {
    const dirs = [
      ...readdirSync(DEPLOY).filter((d) => d !== 'modules' && !d.includes('.')),
      ...readdirSync(join(DEPLOY, 'modules')).map((d) => `modules/${d}`),
    ];
    expect(dirs.length).toBe(4);
    for (const dir of dirs) await expect(module(dir)).resolves.toBeTruthy();
    await expect(parse('broken.tf', 'resource "a" "b" {\n  name =\n}\n')).rejects.toThrow(/Invalid expression/);
  });

  it('the read-secrets policy: GetSecretValue on the secrets, BatchGetSecretValue, ssm:GetParameters on the parameters, kms:Decrypt when a key is given; each only when needed', async () => {
    const { hcl } = await module('modules/read-secrets');
    const document = (hcl as any).data.aws_iam_policy_document.read_secrets[0];
    expect(document.statement).toBeUndefined();
    expect(
      document.dynamic.statement.map((st: { content: { actions: string[]; resources: unknown }[]; for_each: string }) => [
        st.content[0]!.actions,
        st.content[0]!.resources,
        st.for_each,
      ]),
    ).toEqual([
      [['secretsmanager:GetSecretValue'], '${statement.value}', '${length(var.secret_arns) == 0 ? [] : [var.secret_arns]}'],
      [['secretsmanager:BatchGetSecretValue'], ['${statement.value}'], '${length(var.secret_arns) == 0 ? [] : ["*"]}'],
      [['ssm:GetParameters'], '${statement.value}', '${length(var.parameter_arns) == 0 ? [] : [var.parameter_arns]}'],
      [['kms:Decrypt'], ['${statement.value}'], '${var.kms_key_arn == null ? [] : [var.kms_key_arn]}'],
    ]);
  });

  it('templatefile() calls pass exactly the variables their templates use', async () => {
    for (const [dir, templates] of [
      ['ecs-control-plane', ['server.json.tftpl', 'ops.json.tftpl']],
      ['ecs-piped', ['piped.json.tftpl']],
    ] as const) {
      const { text } = await module(dir);
      for (const t of templates) expect(templateVariables(text, t), `${dir}/${t}`).toEqual(placeholdersOf(`${dir}/containers/${t}`));
    }
  });

  it('ECS control plane: roles can read the secrets; server + gateway and ops tasks start what the bundle accepts', async () => {
    const { hcl } = await module('ecs-control-plane');
    expectReadSecrets(hcl, ['execution_secrets', 'task_secrets']);
    expect(resource(hcl, 'aws_ecs_service', 'server')!.load_balancer).toEqual([
      expect.objectContaining({ container_name: 'gateway', container_port: 9090 }),
    ]);

    const envoy = await createSecret('deploy-envoy', fixture('envoy-ecs-demo.yaml'));
    const config = await createSecret('deploy-cp', b64(fixture('control-plane-ecs-demo.yaml')));
    const vars = {
      region: 'us-east-1',
      log_group: '/ecs/pipecd',
      server_image: 'server',
      gateway_image: 'gateway',
      ops_image: 'ops',
      control_plane_config_secret_arn: config.arn,
      encryption_key_secret_arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:key-AbCdEf',
      envoy_config_secret_arn: envoy.arn,
      datastore_host: 'pipecd.cluster-x.us-east-1.rds.amazonaws.com',
      cache_address: 'redis.internal:6379',
    };
    const [server, gateway] = containers('ecs-control-plane/containers/server.json.tftpl', vars);
    expect(gateway!.linuxParameters).toEqual({ initProcessEnabled: true });
    // ECS resolves `secrets` itself and injects the values: the bundle sees plain env vars.
    const injected = { CONTROL_PLANE_CONFIG: b64(fixture('control-plane-ecs-demo.yaml')), ENCRYPTION_KEY: newEncryptionKey() };
    expect(server!.secrets.map((s: { name: string }) => s.name)).toEqual(Object.keys(injected));
    const s = await start({ args: server!.command, env: { ...envOf(server!), ...injected } });
    expect(s.code, JSON.stringify(s.logs.at(-1))).toBe(0);
    expect(s.record!.args).toContain('--cache-address=redis.internal:6379');
    expect(s.record!.args).toContain('--insecure-cookie');
    const g = await start({ args: gateway!.command, env: envOf(gateway!) });
    expect(g.code, JSON.stringify(g.logs.at(-1))).toBe(0);

    const [ops] = containers('ecs-control-plane/containers/ops.json.tftpl', vars);
    const o = await start({ args: ops!.command, env: envOf(ops!) });
    expect(o.code, JSON.stringify(o.logs.at(-1))).toBe(0);
    expect(o.record!.args.some((a) => a.startsWith('--encryption-key-file'))).toBe(false);
  });

  it('ECS piped: the image default command with the two *_SECRET references starts piped', async () => {
    const { hcl } = await module('ecs-piped');
    expectReadSecrets(hcl, ['task_secrets']);
    const config = await createSecret('deploy-piped', b64(fixture('piped-full.yaml')));
    const key = await createSecret('deploy-piped-key', newPipedKey());
    const [piped] = containers('ecs-piped/containers/piped.json.tftpl', {
      region: 'us-east-1',
      log_group: '/ecs/piped',
      piped_image: 'piped',
      piped_config_secret_arn: config.arn,
      piped_key_secret_arn: key.arn,
    });
    expect(piped!.command).toBeUndefined();
    // The image sets PIPECD_BOOTSTRAP_ROLE=piped and no CMD.
    const r = await start({ args: [], env: { ...envOf(piped!), PIPECD_BOOTSTRAP_ROLE: 'piped' } });
    expect(r.code, JSON.stringify(r.logs.at(-1))).toBe(0);
    expect(r.logs.find((l) => l.msg === 'resolved inputs')).toMatchObject({ secrets: 2, calls: 1 });
  });

  it('App Runner piped: the StartCommand, as App Runner passes it in place of CMD, starts piped; health check on 9085 /healthz', async () => {
    const { hcl } = await module('apprunner-piped');
    const service = resource(hcl, 'aws_apprunner_service', 'piped')!;
    const image = (service.source_configuration as any)[0].image_repository[0].image_configuration[0];
    expect(image.port).toBe('9085');
    expect((service.health_check_configuration as any)[0]).toMatchObject({ protocol: 'HTTP', path: '/healthz' });
    expect((service.instance_configuration as any)[0].instance_role_arn).toBe('${aws_iam_role.instance.arn}');
    expectReadSecrets(hcl, ['instance_secrets']);

    const config = await createSecret('apprunner-piped', b64(fixture('piped-full.yaml')));
    const key = await createSecret('apprunner-piped-key', newPipedKey());
    const command = (image.start_command as string)
      .replace('${var.piped_config_secret_arn}', config.arn)
      .replace('${var.piped_key_secret_arn}', key.arn)
      .split(' ');
    expect(command.join(' ')).not.toContain('$');
    const r = await start({ args: command, env: { PIPECD_BOOTSTRAP_ROLE: 'piped' } });
    expect(r.code, JSON.stringify(r.logs.at(-1))).toBe(0);
    expect(r.record!.args).toEqual(['piped', `--config-file=${r.sandbox.out}/piped-config.yaml`]);
  });
});
