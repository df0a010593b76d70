import { chooseTransport } from './choose-transport.js';
import { FastTransport } from './fast-transport.js';
import type { AwsTransport } from './transport.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The SDK transport's module, loaded only when chooseTransport() picks it; how depends on how the bundle runs. */
export type LoadSdkTransport = () => Promise<typeof import('./sdk-transport.js')>;

/**
 * The transport for the calls of one start, by chooseTransport()'s rule: the fast transport (part
 * of the bundle and of the startup snapshot), or the AWS SDK, loaded now.
 */
export async function openTransport(env: Env, regions: readonly string[], deadlineMs: number, loadSdk: LoadSdkTransport): Promise<AwsTransport> {
  const { existsSync } = process.getBuiltinModule('node:fs');
  const choice = chooseTransport(env, regions, existsSync);
  if (choice.kind === 'fast') return new FastTransport(choice.source, env);
  return (await loadSdk()).createSdkTransport({ deadlineMs });
}
