import { randomBytes } from 'node:crypto';
import { fixture } from './bundle.js';

/** An encryption key as the ECS guide makes it: `openssl rand 64 | base64`, used as text. */
export const newEncryptionKey = () => randomBytes(64).toString('base64');

export const newPipedKey = () => randomBytes(24).toString('hex');

/** The ECS demo's control plane config with a MySQL password that can be searched for. */
export function controlPlaneConfig(password = `pw-${randomBytes(8).toString('hex')}`): { text: string; password: string } {
  return { text: fixture('control-plane-ecs-demo.yaml').replace('sample:password@', `sample:${password}@`), password };
}

export { b64 } from '../../scripts/lib/paths.mjs';

export const fileBytes = (record: { files: { path: string; base64?: string }[] } | undefined, suffix: string): Buffer => {
  const file = record?.files.find((f) => f.path.endsWith(suffix));
  if (!file?.base64) throw new Error(`the program was not given a readable ${suffix}`);
  return Buffer.from(file.base64, 'base64');
};
