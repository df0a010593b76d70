import type { Agent as HttpAgent, IncomingHttpHeaders } from 'node:http';

/**
 * One HTTP request and its whole answer, for the fast transport and the container credentials
 * endpoint. node:http and node:https are fetched at the first request: the startup snapshot holds
 * this module but cannot hold them, and a start without references never needs them.
 */
export interface Exchange {
  readonly url: URL;
  readonly method: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** How long to wait for a connection, and then for each silence on it. */
  readonly connectTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly signal: AbortSignal;
}

export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A failure before an answer: Node's error code (ECONNRESET, a certificate code) or TimeoutError, AbortError. */
export class ExchangeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ExchangeError';
  }
}

/** Keep-alive connections, one pool per scheme, so the calls of one start share a connection. */
export class ConnectionPool {
  private readonly agents = new Map<string, HttpAgent>();

  private agent(protocol: string): HttpAgent {
    let agent = this.agents.get(protocol);
    if (agent === undefined) {
      const module = protocol === 'https:' ? process.getBuiltinModule('node:https') : process.getBuiltinModule('node:http');
      agent = new module.Agent({ keepAlive: true, maxSockets: 32 });
      this.agents.set(protocol, agent);
    }
    return agent;
  }

  exchange(x: Exchange): Promise<Answer> {
    const module = x.url.protocol === 'https:' ? process.getBuiltinModule('node:https') : process.getBuiltinModule('node:http');
    return new Promise<Answer>((resolve, reject) => {
      const fail = (code: string, message: string) => {
        request.destroy();
        reject(new ExchangeError(code, message));
      };
      const request = module.request(
        x.url,
        { method: x.method, headers: x.headers, agent: this.agent(x.url.protocol), signal: x.signal },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', (error: NodeJS.ErrnoException) => reject(new ExchangeError(error.code ?? error.name, error.message)));
        },
      );
      request.on('socket', (socket) => {
        if (!socket.connecting) return;
        const timer = setTimeout(
          () => fail('TimeoutError', `no connection to ${x.url.host} within ${x.connectTimeoutMs} ms`),
          x.connectTimeoutMs,
        );
        socket.once(x.url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      });
      request.setTimeout(x.idleTimeoutMs, () => fail('TimeoutError', `no answer from ${x.url.host} within ${x.idleTimeoutMs} ms`));
      request.on('error', (error: NodeJS.ErrnoException) =>
        reject(new ExchangeError(error.name === 'AbortError' ? 'AbortError' : (error.code ?? error.name), error.message)),
      );
      request.end(x.body);
    });
  }

  /** Ends every connection so that the process can execve or exit at once. */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}
