import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { AwsCallError } from '../../src/secrets/transport.js';

/**
 * Small HTTP servers scripted to answer what AWS (or the container credentials endpoint) answers,
 * that also count the connections made to them and see when each closes; and a counter of the HTTP
 * requests this thread starts towards a host (Node's http.client.request.start channel), for
 * attempts that never reach a server (a refused connection, a name that does not resolve).
 */
export type Reply =
  | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  /** Headers announcing `length` bytes, `sent` of them, then the connection dropped. */
  | { truncated: { length: number; sent: string } }
  | 'reset'
  | 'stall';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** performance.now() when the whole request had arrived. */
  at: number;
}

export interface Scripted {
  readonly url: string;
  readonly host: string;
  readonly requests: SeenRequest[];
  /** Connections accepted so far, and those still open. */
  connections(): { accepted: number; open: number };
  /** Resolves once no connection is open, or with false after `ms`. */
  allClosed(ms: number): Promise<boolean>;
  close(): Promise<void>;
}

export async function scripted(
  answers: Reply[] | ((request: SeenRequest, index: number) => Reply),
  tls?: { key: Buffer; cert: Buffer },
): Promise<Scripted> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen = {
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      };
      requests.push(seen);
      const index = requests.length - 1;
      const reply = typeof answers === 'function' ? answers(seen, index) : answers[Math.min(index, answers.length - 1)]!;
      if (reply === 'reset') return void req.socket.destroy();
      if (reply === 'stall') return;
      if ('truncated' in reply) {
        res.writeHead(200, { 'content-length': String(reply.truncated.length) });
        res.write(reply.truncated.sent, () => setTimeout(() => req.socket.destroy(), 20));
        return;
      }
      const answer = () => res.writeHead(reply.status, reply.headers ?? {}).end(reply.body ?? '');
      if (reply.delayMs) setTimeout(answer, reply.delayMs);
      else answer();
    });
  };
  const server: Server = tls ? createHttpsServer(tls, handler) : createServer(handler);
  // Kept-alive connections stay open until the client ends them: what a client's close() does shows.
  server.keepAliveTimeout = 60_000;
  server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    connections: () => ({ accepted, open: sockets.size }),
    allClosed: async (ms) => {
      const until = Date.now() + ms;
      while (sockets.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      return sockets.size === 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A TCP server that accepts connections and never says a word: a TLS handshake to it never ends. */
export async function silentTcp(): Promise<{ url: string; host: string; accepted: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createTcpServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Counts the HTTP requests this thread starts to `host` (host:port as in the Host header) while `body` runs. */
export async function countingRequestsTo<T>(host: string, body: () => Promise<T>): Promise<{ result: T; started: number }> {
  let started = 0;
  const listener = (message: unknown) => {
    const { request } = message as { request: { getHeader(name: string): unknown } };
    if (request.getHeader('host') === host) started++;
  };
  subscribe('http.client.request.start', listener);
  try {
    const result = await body();
    return { result, started };
  } finally {
    unsubscribe('http.client.request.start', listener);
  }
}

/** The AwsCallError a promise rejects with, as plain fields. */
export async function callFailure(p: Promise<unknown>) {
  try {
    await p;
  } catch (error) {
    if (!(error instanceof AwsCallError)) throw error;
    return { name: error.name, type: error.type, status: error.status, code: error.code, message: error.message };
  }
  throw new Error('expected a failure');
}
