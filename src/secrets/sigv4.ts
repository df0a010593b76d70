import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Checksum, SourceData } from '@smithy/types';

/**
 * SHA-256 and HMAC-SHA256 from node:crypto in the shape AWS's signer takes. node:crypto is fetched
 * when the first hash is made, not when this module loads: the startup snapshot holds this module
 * and cannot hold node:crypto.
 */
class NodeSha256 implements Checksum {
  private hash;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.start();
  }

  private start() {
    const { createHash, createHmac } = process.getBuiltinModule('node:crypto');
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(this.secret));
  }

  update(data: Uint8Array): void {
    this.hash.update(data);
  }

  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }

  reset(): void {
    this.hash = this.start();
  }
}

const toBytes = (data: SourceData): string | Uint8Array =>
  typeof data === 'string' ? data : data instanceof Uint8Array ? data : new Uint8Array(ArrayBuffer.isView(data) ? data.buffer : data);

export interface UnsignedRequest {
  readonly hostname: string;
  readonly port: number | undefined;
  readonly protocol: 'https:' | 'http:';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Signs a POST with AWS's own SigV4 signer; returns the headers to send (authorization, x-amz-date, the session token). */
export async function signRequest(
  request: UnsignedRequest,
  service: string,
  region: string,
  credentials: AwsCredentialIdentity,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service, region, credentials, sha256: NodeSha256, applyChecksum: false, uriEscapePath: true });
  const signed = await signer.sign({ method: 'POST', query: {}, ...request });
  return signed.headers;
}
