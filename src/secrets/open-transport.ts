import { chooseTransport } from './choose-transport.js';
import { FastTransport } from './fast-transport.js';
import type { AwsTransport } from './transport.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The SDK transport's module, loaded only when chooseTransport() picks it; how depends on how the bundle runs. */
export type LoadSdkTransport = () => Promise<typeof import('./sdk-transport.js')>;

export interface OpenedTransport {
  readonly transport: AwsTransport;
  /** Why the start goes to the SDK (for the log); undefined for the fast transport. */
  readonly sdkReason: string | undefined;
}

/**
 * The transport for the calls of one start, by chooseTransport()'s rule: the fast transport (part
 * of the bundle and of the startup snapshot), or the AWS SDK, loaded now.
 */
export async function openTransport(
  env: Env,
  regions: readonly string[],
  deadlineMs: number,
  loadSdk: LoadSdkTransport,
): Promise<OpenedTransport> {
  const { existsSync } = process.getBuiltinModule('node:fs');
  const choice = chooseTransport(env, regions, existsSync);
  if (choice.kind === 'fast') return { transport: new FastTransport(choice.source, env), sdkReason: undefined };
  return { transport: (await loadSdk()).createSdkTransport({ deadlineMs }), sdkReason: choice.reason };
}
