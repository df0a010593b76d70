import { join } from 'node:path';
import { expect } from 'vitest';
import { ROOT, start, type StartOptions, type StartResult } from './bundle.js';

/**
 * The two AWS clients a start can use, each with the environment that makes chooseTransport()
 * pick it: the reference, fault and hygiene suites run once per row.
 */
export interface Client {
  readonly name: 'fast' | 'sdk';
  readonly env: Readonly<Record<string, string>>;
  /** Whether a request's user-agent header is this client's. */
  sent(userAgent: string): boolean;
  /** What the resolved inputs line says of why the SDK was picked. */
  readonly sdkReason: unknown;
  /** A start whose credentials cannot be had, on this client. */
  readonly noCredentials: Readonly<Record<string, string>>;
}

const NO_KEYS = {
  AWS_ACCESS_KEY_ID: '',
  AWS_SECRET_ACCESS_KEY: '',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  AWS_CONFIG_FILE: '/nonexistent',
};

export const CLIENTS: readonly Client[] = [
  // The fast client's only source without keys is the container endpoint: here one that refuses connections.
  {
    name: 'fast',
    env: {},
    sdkReason: undefined,
    sent: (ua) => ua === 'pipecd-bootstrap',
    noCredentials: { ...NO_KEYS, AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:9/v2/credentials/x' },
  },
  // A shared config file sends the start to the SDK; the SDK's chain still takes the environment keys first.
  {
    name: 'sdk',
    env: { AWS_CONFIG_FILE: join(ROOT, 'test/helpers/aws-config') },
    sdkReason: `shared config file ${join(ROOT, 'test/helpers/aws-config')}`,
    sent: (ua) => ua.startsWith('aws-sdk-js/'),
    noCredentials: { ...NO_KEYS, AWS_CONTAINER_CREDENTIALS_FULL_URI: '' },
  },
];

/** start() through `client`; a start that resolved its references logs its client, and it must be this one. */
export async function startWith(client: Client, options: StartOptions = {}): Promise<StartResult> {
  const result = await start({ ...options, env: { ...client.env, ...options.env } });
  const resolved = result.logs.find((l) => l.msg === 'resolved inputs');
  if (resolved && resolved.secrets !== 0) {
    expect(resolved.client, 'the client the resolved inputs line names').toBe(client.name);
    expect(resolved.sdkReason).toEqual(client.sdkReason);
  }
  return result;
}
