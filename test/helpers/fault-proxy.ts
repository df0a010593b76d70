import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A JSON-speaking proxy on 127.0.0.1 in front of moto_server. moto cannot produce throttling,
 * AccessDenied in JSON, KMS failures, resets or stalls; this proxy answers those itself, the way
 * the JSON 1.1 protocol of Secrets Manager and of SSM does (`x-amzn-errortype` and a JSON body with
 * `__type`), and forwards everything else. It also counts the calls.
 */
export type Fault =
  /** Forwarded to moto; with `after`, only once that promise settles (to prove calls are in flight together). */
  | { kind: 'forward'; after?: Promise<unknown> }
  | { kind: 'error'; status: number; type: string; message?: string }
  | { kind: 'reset' }
  | { kind: 'stall' };

export interface ProxyCall {
  readonly service: 'secretsmanager' | 'ssm';
  /** The operation: GetSecretValue, BatchGetSecretValue, GetParameters, PutParameter, ... */
  readonly target: string;
  readonly secretIds: readonly string[];
  /** GetParameters' Names (or GetParameter's Name), selectors included. */
  readonly names: readonly string[];
  /** The region the request was signed for (from the SigV4 credential scope). */
  readonly region: string;
  /** The request body as JSON (test values only: the proxy sits in front of moto). */
  readonly input: Readonly<Record<string, unknown>>;
}

export interface FaultProxy {
  readonly url: string;
  readonly calls: ProxyCall[];
  close(): Promise<void>;
}

export const forward: Fault = { kind: 'forward' };

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function pass(upstream: URL, req: IncomingMessage, body: Buffer, res: ServerResponse): void {
  const out = request(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  out.on('error', () => res.destroy());
  out.end(body);
}

export async function startFaultProxy(
  upstream: string,
  decide: (call: ProxyCall, index: number) => Fault = () => forward,
): Promise<FaultProxy> {
  const calls: ProxyCall[] = [];
  const sockets = new Set<Socket>();
  const target = new URL(upstream);
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    let parsed: { SecretId?: string; SecretIdList?: string[]; Name?: string; Names?: string[]; [field: string]: unknown } = {};
    try {
      parsed = JSON.parse(body.toString('utf8') || '{}');
    } catch {
      // not JSON: forwarded as it is
    }
    const amzTarget = String(req.headers['x-amz-target'] ?? '');
    const call: ProxyCall = {
      service: amzTarget.startsWith('AmazonSSM.') ? 'ssm' : 'secretsmanager',
      target: amzTarget.replace(/^(secretsmanager|AmazonSSM)\./, ''),
      secretIds: parsed.SecretIdList ?? (parsed.SecretId ? [parsed.SecretId] : []),
      names: parsed.Names ?? (parsed.Name ? [parsed.Name] : []),
      input: parsed,
      region: /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? '',
    };
    calls.push(call);
    const fault = decide(call, calls.length - 1);
    switch (fault.kind) {
      case 'forward':
        if (fault.after) await fault.after.catch(() => {});
        return pass(target, req, body, res);
      case 'error':
        res.writeHead(fault.status, {
          'content-type': 'application/x-amz-json-1.1',
          'x-amzn-errortype': fault.type,
          'x-amzn-requestid': 'fault-proxy',
        });
        return void res.end(JSON.stringify({ __type: fault.type, message: fault.message ?? fault.type }));
      case 'reset':
        return void req.socket.destroy();
      case 'stall':
        return;
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
