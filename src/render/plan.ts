import { join } from 'node:path';
import {
  describeOrigin,
  type InputLocation,
  type InputName,
  type LaunchPlan,
  type RenderedFile,
  type ResolvedInput,
  type RoleSpec,
  type Settings,
} from '../domain.js';
import { dataError, usageError } from '../errors.js';
import { rewriteDatastore, validateControlPlane, type MysqlCredentialFiles } from './control-plane.js';
import { decodeUtf8, decodeValue } from './decode.js';
import { validateEnvoy } from './envoy.js';
import { ownSource } from './own-source.js';
import { usePipedKeyFile, validatePiped } from './piped.js';
import { parseYaml, type YamlSource } from './yaml-document.js';

/** No PipeCD config or key comes near this; Secrets Manager itself stops at 64 KiB. */
export const MAX_INPUT_BYTES = 1024 * 1024;

/** AES-256 takes the first 32 bytes of the key file. */
export const MIN_ENCRYPTION_KEY_BYTES = 32;

export interface RenderOutcome {
  readonly plan: LaunchPlan;
  /** Things worth a warning line; they never hold a value. */
  readonly warnings: readonly string[];
}

interface Decoded {
  readonly input: ResolvedInput;
  readonly label: string;
  readonly bytes: Buffer;
  readonly decodedBase64: boolean;
}

function decode(input: ResolvedInput): Decoded {
  const label = describeOrigin(input.spec.name, input.origin);
  if (input.bytes.length > MAX_INPUT_BYTES) {
    throw dataError(`${label}: is ${input.bytes.length} bytes; the limit is ${MAX_INPUT_BYTES}`);
  }
  const result = decodeValue(input.bytes, input.encoding);
  if (!result.ok) {
    throw dataError(`${label}: ${result.reason}`, `set ${input.spec.name}_ENCODING=raw if the value is not base64`);
  }
  if (result.bytes.length === 0) throw dataError(`${label}: is empty`);
  return { input, label, bytes: result.bytes, decodedBase64: result.decodedBase64 };
}

function parseConfig(decoded: Decoded): YamlSource {
  const text = decodeUtf8(decoded.bytes);
  if (text === undefined) {
    const how = decoded.bytes === decoded.input.bytes ? 'is not valid UTF-8' : 'decodes from base64 to bytes that are not UTF-8 text';
    throw dataError(`${decoded.label}: ${how}`, 'a config must be YAML text, or base64 of it');
  }
  return parseYaml(text, decoded.label);
}

/** The file contents: the bytes as given, or the rewritten text (rewrite.ts checked it reads back as meant). */
function contents(decoded: Decoded, rewritten: YamlSource | undefined): Buffer {
  return rewritten ? Buffer.from(rewritten.text, 'utf8') : decoded.bytes;
}

function endsWithNewline(bytes: Buffer): boolean {
  const last = bytes[bytes.length - 1];
  return last === 0x0a || last === 0x0d;
}

function mysqlCredentials(paths: ReadonlyMap<InputName, string>): MysqlCredentialFiles | undefined {
  const usernameFile = paths.get('MYSQL_USERNAME');
  const passwordFile = paths.get('MYSQL_PASSWORD');
  if (usernameFile === undefined && passwordFile === undefined) return undefined;
  if (usernameFile === undefined || passwordFile === undefined) {
    throw dataError(
      'MYSQL_USERNAME and MYSQL_PASSWORD: give both or neither',
      'PipeCD reads the MySQL credentials from two files or from neither',
    );
  }
  return { usernameFile, passwordFile };
}

/**
 * For the input the program re-reads by itself (the launcher's config), its own source in place of a
 * file written once, when the settings allow it and the program can read the source as it is.
 */
function handOver(decoded: Decoded, rewritten: string | undefined, settings: Settings, warnings: string[]): InputLocation | undefined {
  if (settings.launcherConfig === 'file') return undefined;
  const own = ownSource(decoded.input, decoded.decodedBase64, rewritten, settings.sdkRegion);
  if (own.ok) return own.location;
  if (settings.launcherConfig === 'source') {
    throw usageError(
      `${decoded.label}: PIPECD_BOOTSTRAP_LAUNCHER_CONFIG=source, but the launcher cannot read it from its source: ${own.reason}`,
      'give the config as a plain reference to base64 YAML in a SecretString (no JSON key, no PIPED_KEY), or set PIPECD_BOOTSTRAP_LAUNCHER_CONFIG=file',
    );
  }
  if (own.reloadLost) {
    warnings.push(
      `${decoded.label}: written once to a file, so the launcher will not restart piped when it changes at its source: ${own.reason}`,
    );
  }
  return undefined;
}

/**
 * Pure: from the inputs' bytes to the files and arguments of the program. Everything is decoded,
 * rewritten and validated here, so that nothing is written unless all of it is good.
 */
export function renderLaunch(
  role: RoleSpec,
  inputs: readonly ResolvedInput[],
  settings: Settings,
  outputDir: string,
  passThrough: readonly string[],
): RenderOutcome {
  const paths = new Map<InputName, string>(inputs.map((i) => [i.spec.name, join(outputDir, i.spec.fileName)]));
  const credentials = mysqlCredentials(paths);
  const warnings: string[] = [];
  const where = new Map<InputName, InputLocation>([...paths].map(([name, path]) => [name, { kind: 'file', path }]));
  const files: RenderedFile[] = inputs.flatMap((input): RenderedFile[] => {
    const decoded = decode(input);
    const { label, bytes } = decoded;
    const file = (contents: Buffer): RenderedFile[] => [{ input: input.spec.name, path: paths.get(input.spec.name)!, contents }];
    switch (input.spec.kind) {
      case 'encryption-key':
        if (bytes.length < MIN_ENCRYPTION_KEY_BYTES) {
          throw dataError(
            `${label}: is ${bytes.length} bytes; PipeCD needs at least ${MIN_ENCRYPTION_KEY_BYTES}`,
            'generate one with: openssl rand 64 | base64 -w0',
          );
        }
        return file(bytes);
      case 'piped-key':
      case 'mysql-credential':
        if (endsWithNewline(bytes)) warnings.push(`${label} ends with a line break; it is written as given and read untrimmed`);
        return file(bytes);
      case 'control-plane-config': {
        const source = parseConfig(decoded);
        const rewritten = rewriteDatastore(source, settings, credentials);
        validateControlPlane(rewritten ?? source);
        return file(contents(decoded, rewritten));
      }
      case 'piped-config': {
        const source = parseConfig(decoded);
        const keyFile = paths.get('PIPED_KEY');
        const rewritten = keyFile === undefined ? undefined : usePipedKeyFile(source, keyFile);
        validatePiped(rewritten ?? source);
        const why = keyFile === undefined ? undefined : 'spec.pipedKeyFile is set to the file written from PIPED_KEY';
        const own = role.rereads === input.spec.name ? handOver(decoded, why, settings, warnings) : undefined;
        if (own === undefined) return file(contents(decoded, rewritten));
        where.set(input.spec.name, own);
        return [];
      }
      case 'envoy-config': {
        const source = parseConfig(decoded);
        validateEnvoy(source);
        return file(decoded.bytes);
      }
    }
  });
  return { plan: { role: role.name, files, args: [...role.args(where, settings), ...passThrough] }, warnings };
}
