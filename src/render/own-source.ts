import { isAbsolute } from 'node:path';
import type { InputLocation, ResolvedInput } from '../domain.js';

export type OwnSource =
  | { readonly ok: true; readonly location: InputLocation }
  /** `reloadLost`: the source could change while the program runs, and a file written once will not. */
  | { readonly ok: false; readonly reason: string; readonly reloadLost: boolean };

/** What Go's base64.StdEncoding reads: the alphabet, padding, and line breaks, which it skips. */
const GO_STD_BASE64 = /^[A-Za-z0-9+/=\r\n]+$/;

const cannot = (reason: string, reloadLost = true): OwnSource => ({ ok: false, reason, reloadLost });

/**
 * Whether the launcher can read a validated config from where it came, as it is, instead of from a
 * file written once: its reload (every --check-interval it re-reads the source and restarts piped
 * when the config changed) needs the source itself. It reads a file as YAML, a Secrets Manager
 * secret as base64 YAML in the whole SecretString of the current version, and an SSM parameter as
 * base64 YAML in its current value (GetParameter, decrypted), in the region its AWS SDK is given
 * (pkg/app/launcher/cmd/launcher/launcher.go, loadConfigData). Anything that needed the
 * bootstrapper (a key to rewrite in, a JSON key, a pinned version, raw YAML in a secret, binary, a
 * region of its own) keeps the file.
 */
export function ownSource(
  input: ResolvedInput,
  decodedBase64: boolean,
  rewritten: string | undefined,
  sdkRegion: string | undefined,
): OwnSource {
  const { origin } = input;
  if (origin.type === 'env') return cannot('it came from the environment, which does not change while the container runs', false);
  if (rewritten !== undefined) return cannot(`the config is rewritten: ${rewritten}`);
  if (origin.type === 'file') {
    if (decodedBase64) return cannot('the file holds base64, and the launcher reads a config file as YAML');
    if (!isAbsolute(origin.path)) return cannot('the file path is relative; give an absolute path');
    return { ok: true, location: { kind: 'file', path: origin.path } };
  }
  const { ref } = origin;
  if (ref.service === 'secretsmanager') {
    if (ref.jsonKey !== undefined) return cannot('the reference names a JSON key, and the launcher reads the whole SecretString');
    if (ref.versionStage !== undefined || ref.versionId !== undefined) {
      return cannot('the reference pins a version, and the launcher reads the current one');
    }
    if (input.secretBinary) return cannot('the secret holds SecretBinary, and the launcher reads SecretString');
  } else if (ref.name !== ref.parameter) {
    return cannot('the reference pins a version or label, and the launcher reads the current value');
  }
  if (!decodedBase64 || !GO_STD_BASE64.test(input.bytes.toString('latin1'))) {
    return cannot('the value is not base64 of the YAML, which is what the launcher (like piped --config-aws-secret) reads');
  }
  const region = ref.region ?? sdkRegion;
  if (region === undefined || region !== sdkRegion) {
    return cannot(`the reference is in ${region ?? 'no region'}, and the launcher's AWS SDK uses ${sdkRegion ?? 'no region'} (AWS_REGION)`);
  }
  if (ref.service === 'ssm') return { ok: true, location: { kind: 'ssm', name: ref.parameter } };
  return { ok: true, location: { kind: 'secretsmanager', secretId: ref.secretId } };
}
