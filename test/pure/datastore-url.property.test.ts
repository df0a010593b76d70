import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidHost } from '../../src/inputs/settings.js';
import { parseMysqlUrl, replaceMysqlHost, toBareAddress } from '../../src/render/datastore-url.js';

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const host = fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.'));
const port = fc.option(
  fc.integer({ min: 1, max: 65535 }).map((p) => `:${p}`),
  { nil: '' },
);
// Passwords may hold anything Go's DSN parser allows, including '@', ':' and the old host's name.
const password = fc.string({ minLength: 0, maxLength: 20 }).map((s) => s.replace(/[\s]/g, 'x'));
const database = fc.option(fc.stringMatching(/^\/[a-z_]{1,10}$/), { nil: '' });
const params = fc.option(fc.constantFrom('?tls=true', '?parseTime=true&loc=UTC'), { nil: '' });

describe('the datastore host rewrite (pure, property-based)', () => {
  it('changes the host inside tcp(...) and nothing else', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 10 }).map((s) => s.replace(/[@:\s]/g, 'u')),
        password,
        host,
        port,
        database,
        params,
        host,
        (user, pass, oldHost, p, db, q, newHost) => {
          const url = `${user}:${pass}@tcp(${oldHost}${p})${db}${q}`;
          expect(replaceMysqlHost(url, newHost)).toBe(`${user}:${pass}@tcp(${newHost}${p})${db}${q}`);
        },
      ),
    );
  });

  it('never touches the old host name where it appears in the password (the sed bug)', () => {
    expect(replaceMysqlHost('pipecd:pipecd-mysql@tcp(pipecd-mysql:3306)', 'db.internal')).toBe('pipecd:pipecd-mysql@tcp(db.internal:3306)');
  });

  it('rewrites a bare host:port, keeping the port', () => {
    fc.assert(
      fc.property(host, port, host, (oldHost, p, newHost) => {
        expect(replaceMysqlHost(`${oldHost}${p}`, newHost)).toBe(`${newHost}${p}`);
      }),
    );
  });

  it('is idempotent and reversible', () => {
    fc.assert(
      fc.property(host, port, host, (a, p, b) => {
        const url = `u:p@tcp(${a}${p})/db`;
        const once = replaceMysqlHost(url, b)!;
        expect(replaceMysqlHost(once, b)).toBe(once);
        expect(replaceMysqlHost(once, a)).toBe(url);
      }),
    );
  });

  it('reduces to a bare address, keeping the database', () => {
    expect(toBareAddress('u:p@tcp(h:3306)/pipecd')).toEqual({ address: 'h:3306', database: 'pipecd' });
    expect(toBareAddress('u:p@tcp(h:3306)')).toEqual({ address: 'h:3306', database: undefined });
    expect(toBareAddress('h:3306')).toEqual({ address: 'h:3306', database: undefined });
    expect(toBareAddress('u:p@tcp(h:3306)/db?tls=true')).toBeUndefined();
  });

  it('refuses urls it cannot read rather than guessing', () => {
    for (const bad of ['', 'u:p@unix(/var/run/mysql.sock)', 'u:p@tcp(h:3306', 'tcp()', 'h:port'])
      expect(parseMysqlUrl(bad), bad).toBeUndefined();
    for (const bad of ['db:3306', 'a b', '-x', '']) expect(isValidHost(bad), bad).toBe(false);
    expect(isValidHost('[::1]')).toBe(true);
  });
});
