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
    expect(dirs.length).toBe(6);
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
      ['ecs-control-plane-init', ['server.json.tftpl', 'ops.json.tftpl']],
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
    // start_command is the StartCommand unless secrets_as_environment; the command is the string in that conditional.
    const startCommand = /: "(pipecd-bootstrap piped [^"]+)"\}$/.exec(image.start_command as string)![1]!;
    expect((service.health_check_configuration as any)[0]).toMatchObject({ protocol: 'HTTP', path: '/healthz' });
    expect((service.instance_configuration as any)[0].instance_role_arn).toBe('${aws_iam_role.instance.arn}');
    expectReadSecrets(hcl, ['instance_secrets']);

    const config = await createSecret('apprunner-piped', b64(fixture('piped-full.yaml')));
    const key = await createSecret('apprunner-piped-key', newPipedKey());
    const command = startCommand
      .replace('${var.piped_config_secret_arn}', config.arn)
      .replace('${var.piped_key_secret_arn}', key.arn)
      .split(' ');
    expect(command.join(' ')).not.toContain('$');
    const r = await start({ args: command, env: { PIPECD_BOOTSTRAP_ROLE: 'piped' } });
    expect(r.code, JSON.stringify(r.logs.at(-1))).toBe(0);
    expect(r.record!.args).toEqual(['piped', `--config-file=${r.sandbox.out}/piped-config.yaml`]);
  });

  it('App Runner piped with RuntimeEnvironmentSecrets: the values App Runner injects start piped with the image default command', async () => {
    const { hcl } = await module('apprunner-piped');
    const image = (resource(hcl, 'aws_apprunner_service', 'piped')!.source_configuration as any)[0].image_repository[0]
      .image_configuration[0];
    // The same two secrets, as the env vars App Runner sets from them; no StartCommand.
    expect(image.runtime_environment_secrets).toMatch(
      /PIPED_CONFIG\s*=\s*var.piped_config_secret_arn[\s\S]*PIPED_KEY\s*=\s*var.piped_key_secret_arn/,
    );
    expect(image.start_command).toMatch(/^\$\{var.secrets_as_environment \? null :/);
    const r = await start({
      args: [],
      env: { PIPECD_BOOTSTRAP_ROLE: 'piped', PIPED_CONFIG: b64(fixture('piped-full.yaml')), PIPED_KEY: newPipedKey() },
    });
    expect(r.code, JSON.stringify(r.logs.at(-1))).toBe(0);
    expect(r.record!.env).not.toHaveProperty('PIPED_CONFIG');
    expect(r.record!.env).not.toHaveProperty('PIPED_KEY');
  });

  it('ECS Express Mode piped: execution and infrastructure roles, port 9085 and /healthz; its environment and ECS secret start piped', async () => {
    const { hcl } = await module('ecs-express-piped');
    const service = resource(hcl, 'aws_ecs_express_gateway_service', 'piped')!;
    expect(service).toMatchObject({
      execution_role_arn: '${aws_iam_role.execution.arn}',
      infrastructure_role_arn: '${aws_iam_role.infrastructure.arn}',
      task_role_arn: '${aws_iam_role.task.arn}',
      health_check_path: '/healthz',
    });
    expect((service.scaling_target as any)[0]).toMatchObject({ min_task_count: 1, max_task_count: 1 });
    const infrastructure = (hcl as any).data.aws_iam_policy_document.ecs_assume[0].statement[0].principals[0];
    expect(infrastructure.identifiers).toEqual(['ecs.amazonaws.com']);
    expect(resource(hcl, 'aws_iam_role_policy_attachment', 'infrastructure')!.policy_arn).toMatch(
      /AmazonECSInfrastructureRoleforExpressGatewayServices$/,
    );
    expectReadSecrets(hcl, ['execution_secrets', 'task_secrets']);

    const container = (service.primary_container as any)[0];
    expect(container.container_port).toBe(9085);
    expect(container.command).toBeUndefined();
    const config = await createSecret('express-piped', b64(fixture('piped-full.yaml')));
    const vars: Record<string, string> = { '${var.piped_config_secret_arn}': config.arn };
    const env = Object.fromEntries(container.environment.map((e: { name: string; value: string }) => [e.name, vars[e.value] ?? e.value]));
    // ECS resolves the `secret` blocks itself and injects the values.
    expect(container.secret.map((s: { name: string }) => s.name)).toEqual(['PIPED_KEY']);
    const key = newPipedKey();
    const r = await start({ args: [], env: { ...env, PIPED_KEY: key, PIPECD_BOOTSTRAP_ROLE: 'piped' } });
    expect(r.code, JSON.stringify(r.logs.at(-1))).toBe(0);
    expect(r.logs.find((l) => l.msg === 'resolved inputs')).toMatchObject({ secrets: 1, calls: 1 });
    expect(r.record!.args).toEqual(['piped', `--config-file=${r.sandbox.out}/piped-config.yaml`]);
    expect(r.record!.files[0]!.base64).toBeTruthy();
  });

  it("ECS control plane with init containers: each program's command is what `write` prints for its init container, after it, read-only", async () => {
    const { hcl, text } = await module('ecs-control-plane-init');
    expectReadSecrets(hcl, ['execution_secrets', 'task_secrets']);
    expect(resource(hcl, 'aws_ecs_task_definition', 'server')!.volume).toEqual([{ name: 'server-files' }, { name: 'gateway-files' }]);
    expect(resource(hcl, 'aws_ecs_task_definition', 'ops')!.volume).toEqual([{ name: 'ops-files' }]);
    expect(text).toContain('default     = "ghcr.io/pipe-cd/pipecd:v0.57.0"');

    const envoy = await createSecret('deploy-init-envoy', fixture('envoy-ecs-demo.yaml'));
    const config = await createSecret('deploy-init-cp', b64(fixture('control-plane-ecs-demo.yaml')));
    const vars = {
      region: 'us-east-1',
      log_group: '/ecs/pipecd',
      init_image: 'init',
      pipecd_image: 'ghcr.io/pipe-cd/pipecd:v0.57.0',
      envoy_image: 'envoyproxy/envoy:v1.31.0',
      control_plane_config_secret_arn: config.arn,
      encryption_key_secret_arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:key-AbCdEf',
      envoy_config_secret_arn: envoy.arn,
      datastore_host: 'pipecd.cluster-x.us-east-1.rds.amazonaws.com',
      cache_address: 'redis.internal:6379',
    };
    // ECS injects the init container's `secrets` as plain env vars.
    const injected = { CONTROL_PLANE_CONFIG: b64(fixture('control-plane-ecs-demo.yaml')), ENCRYPTION_KEY: newEncryptionKey() };
    const pairs = [
      ...pairsOf(containers('ecs-control-plane-init/containers/server.json.tftpl', vars)),
      ...pairsOf(containers('ecs-control-plane-init/containers/ops.json.tftpl', vars)),
    ];
    expect(pairs.map(([init, program]) => [init.name, program.name])).toEqual([
      ['server-files', 'server'],
      ['gateway-files', 'gateway'],
      ['ops-files', 'ops'],
    ]);
    for (const [init, program] of pairs) {
      expect(init).toMatchObject({ image: 'init', essential: false, user: '0' });
      expect(init.mountPoints).toEqual([{ sourceVolume: init.name, containerPath: '/pipecd-bootstrap' }]);
      expect(program.mountPoints).toEqual([{ sourceVolume: init.name, containerPath: '/pipecd-bootstrap', readOnly: true }]);
      expect(program.dependsOn).toContainEqual({ containerName: init.name, condition: 'SUCCESS' });
      expect(program.entryPoint, 'the official image keeps its ENTRYPOINT').toBeUndefined();
      const secrets = Object.fromEntries(
        (init.secrets ?? []).map((x: { name: string }) => [x.name, injected[x.name as keyof typeof injected]]),
      );
      const r = await start({ args: ['write', ...init.command], env: { ...envOf(init), ...secrets } });
      expect(r.code, JSON.stringify(r.logs.at(-1))).toBe(0);
      const printed = JSON.parse(r.stdout) as { command: string[] };
      expect(program.command, program.name).toEqual(printed.command.map((a) => a.replaceAll(r.sandbox.out, '/pipecd-bootstrap')));
    }
  });
});

/** Each init container of a task with the program container that follows it. */
function pairsOf(list: Record<string, any>[]): [Record<string, any>, Record<string, any>][] {
  return list.flatMap((init, i) =>
    init.name.endsWith('-files') ? [[init, list[i + 1]!] as [Record<string, any>, Record<string, any>]] : [],
  );
}
