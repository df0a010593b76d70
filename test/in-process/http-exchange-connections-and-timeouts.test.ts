import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConnectionPool, ExchangeError, type Exchange } from '../../src/secrets/http-exchange.js';
import { selfSignedCertificate } from '../helpers/certificate.js';
import { scripted, silentTcp } from '../helpers/scripted-http.js';

/**
 * ConnectionPool.exchange against real local servers: one kept-alive connection per pool that
 * close() ends, the connect timeout that runs only until the connection (TCP, or the TLS handshake
 * for https) is up, and the failures of a connection that ends under an answer.
 */
const root = mkdtempSync(join(tmpdir(), 'exchange-'));
const x = (url: string, over: Partial<Exchange> = {}): Exchange => ({
  url: new URL(url),
  method: 'POST',
  headers: {},
  body: 'b',
  connectTimeoutMs: 5000,
  idleTimeoutMs: 5000,
  signal: AbortSignal.timeout(20_000),
  ...over,
});
const failureOf = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(ExchangeError);
      const error = e as ExchangeError;
      return { name: error.name, code: error.code, message: error.message };
    },
  );

describe('one pool, one kept-alive connection', () => {
  it('three calls go over one connection, and close() ends it at once', async () => {
    const server = await scripted([{ status: 200, body: 'ok' }]);
    const pool = new ConnectionPool();
    try {
      for (let i = 0; i < 3; i++) expect((await pool.exchange(x(server.url))).body).toBe('ok');
      expect(server.requests).toHaveLength(3);
      expect(server.connections()).toEqual({ accepted: 1, open: 1 });
      pool.close();
      // The server keeps idle connections for a minute: only the client's close() ends this one.
      expect(await server.allClosed(3000)).toBe(true);
    } finally {
      pool.close();
      await server.close();
    }
  });
});

describe('the connect timeout covers only the connecting', () => {
  it('http: an answer slower than the connect timeout, on a new and on a reused connection, is awaited', async () => {
    const server = await scripted([{ status: 200, body: 'slow', delayMs: 800 }]);
    const pool = new ConnectionPool();
    try {
      const first = await pool.exchange(x(server.url, { connectTimeoutMs: 250 }));
      const second = await pool.exchange(x(server.url, { connectTimeoutMs: 250 }));
      expect([first.status, first.body, second.status, second.body]).toEqual([200, 'slow', 200, 'slow']);
      expect(server.connections().accepted).toBe(1);
    } finally {
      pool.close();
      await server.close();
    }
  });

  it('https: a TLS handshake that never ends is a TimeoutError after the connect timeout, named with the host', async () => {
    const server = await silentTcp();
    const pool = new ConnectionPool();
    try {
      const started = Date.now();
      const failure = await failureOf(pool.exchange(x(server.url, { connectTimeoutMs: 200, idleTimeoutMs: 8000 })));
      expect(failure).toEqual({ name: 'ExchangeError', code: 'TimeoutError', message: `no connection to ${server.host} within 200 ms` });
      // Well before the idle timeout: the connect timer, not the idle one, ended it.
      expect(Date.now() - started).toBeLessThan(6000);
      expect(server.accepted()).toBe(1);
    } finally {
      pool.close();
      await server.close();
    }
  });

  it('https: once the handshake is done, an answer slower than the connect timeout is awaited', async () => {
    const server = await scripted([{ status: 200, body: 'over tls', delayMs: 800 }], selfSignedCertificate(root));
    const pool = new ConnectionPool();
    // The pool takes Node's trust store, which cannot be extended in-process; trust is not what this test is about.
    const saved = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      const answer = await pool.exchange(x(server.url, { connectTimeoutMs: 250 }));
      expect([answer.status, answer.body]).toEqual([200, 'over tls']);
    } finally {
      if (saved === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = saved;
      pool.close();
      await server.close();
    }
  });
});

describe('a connection that ends under an answer', () => {
  it('a body cut short: ExchangeError ECONNRESET, not a hang', async () => {
    const server = await scripted([{ truncated: { length: 100, sent: '{"partial":' } }]);
    const pool = new ConnectionPool();
    try {
      const failure = await failureOf(pool.exchange(x(server.url, { idleTimeoutMs: 8000 })));
      expect(failure).toEqual({ name: 'ExchangeError', code: 'ECONNRESET', message: 'aborted' });
    } finally {
      pool.close();
      await server.close();
    }
  });
});
