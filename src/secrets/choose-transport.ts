import { credentialSource, type CredentialSource } from './aws-credentials.js';
import { knownRegion } from './aws-endpoint.js';

type Env = Readonly<Record<string, string | undefined>>;

export type TransportChoice =
  { readonly kind: 'fast'; readonly source: CredentialSource } | { readonly kind: 'sdk'; readonly reason: string };

/** Settings that only the SDK's configuration chain understands. */
const SDK_ONLY = [
  ['AWS_PROFILE', 'a profile'],
  ['AWS_DEFAULT_PROFILE', 'a profile'],
  ['AWS_WEB_IDENTITY_TOKEN_FILE', 'web identity'],
  ['AWS_ROLE_ARN', 'web identity'],
] as const;
const SDK_ONLY_FLAGS = [
  ['AWS_USE_FIPS_ENDPOINT', 'FIPS endpoints'],
  ['AWS_USE_DUALSTACK_ENDPOINT', 'dual-stack endpoints'],
] as const;

/** The shared config and credentials files where the SDK looks for them (profiles, SSO, region, endpoint settings). */
function sharedFiles(env: Env): string[] {
  const home = env.HOME || process.getBuiltinModule('node:os').homedir();
  return [env.AWS_CONFIG_FILE || `${home}/.aws/config`, env.AWS_SHARED_CREDENTIALS_FILE || `${home}/.aws/credentials`];
}

/**
 * Which AWS client a start uses. The fast transport when the SDK's default chain would find
 * credentials in the environment keys or at the container credentials endpoint, every region is in
 * the aws, aws-cn or aws-us-gov partition, and nothing else would change what the SDK does: no
 * profile, web identity, FIPS or dual-stack setting, no shared config or credentials file. The SDK
 * for everything else, so that what the fast transport does not recognise works as before.
 */
export function chooseTransport(env: Env, regions: readonly string[], exists: (path: string) => boolean): TransportChoice {
  for (const [name, what] of SDK_ONLY) if (env[name]) return { kind: 'sdk', reason: `${what} (${name})` };
  for (const [name, what] of SDK_ONLY_FLAGS)
    if (env[name] !== undefined && env[name] !== '' && env[name] !== 'false') return { kind: 'sdk', reason: `${what} (${name})` };
  const unknown = regions.find((r) => !knownRegion(r));
  if (unknown !== undefined) return { kind: 'sdk', reason: unknown === '' ? 'no region' : `region ${unknown}` };
  const file = sharedFiles(env).find(exists);
  if (file !== undefined) return { kind: 'sdk', reason: `shared config file ${file}` };
  const source = credentialSource(env);
  if (source === undefined) return { kind: 'sdk', reason: 'credentials from the SDK chain' };
  return { kind: 'fast', source };
}
