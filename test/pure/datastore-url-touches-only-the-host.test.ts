import { describe, expect, it } from 'vitest';
import { formatMysqlUrl, parseMysqlUrl, replaceMysqlHost, toBareAddress } from '../../src/render/datastore-url.js';

/** [url, before, host, port, after] as PipeCD's MySQL url splits. */
const PARSED = [
  ['user:pass@tcp(pipecd-mysql:3306)', 'user:pass@tcp(', 'pipecd-mysql', ':3306', ')'],
  ['user:pass@tcp(db:3306)/pipecd?tls=true', 'user:pass@tcp(', 'db', ':3306', ')/pipecd?tls=true'],
  ['u:p@ss@tcp(db)/x', 'u:p@ss@tcp(', 'db', '', ')/x'],
  ['u:p@tcp([fd00::1]:3306)', 'u:p@tcp(', '[fd00::1]', ':3306', ')'],
  ['db.internal:3306', '', 'db.internal', ':3306', ''],
  ['db.internal:3306/pipecd', '', 'db.internal', ':3306', '/pipecd'],
  ['db', '', 'db', '', ''],
  ['tcp(db:1)', 'tcp(', 'db', ':1', ')'],
  ['@tcp(db:3306)/x', '@tcp(', 'db', ':3306', ')/x'],
  ['[::1]:3306', '', '[::1]', ':3306', ''],
] as const;

const REFUSED = [
  ['user info without tcp(', 'user:pass@db:3306'],
  ['no host', 'user:pass@tcp(:3306)'],
  ['an empty url', ''],
  ['tcp( not closed', 'u:p@tcp(db:3306'],
  ['a six-digit port', 'db:123456'],
  ['junk after a bare address', 'db:3306?x'],
  ['a unix socket', 'u:p@unix(/tmp/mysql.sock)/db'],
] as const;

describe('parseMysqlUrl', () => {
  it.each(PARSED)('%s', (url, before, host, port, after) => {
    const parsed = parseMysqlUrl(url);
    expect(parsed).toEqual({ before, host, port, after });
    expect(formatMysqlUrl(parsed!)).toBe(url);
  });

  it.each(REFUSED)('refuses %s', (_what, url) => {
    expect(parseMysqlUrl(url)).toBeUndefined();
    expect(replaceMysqlHost(url, 'x')).toBeUndefined();
    expect(toBareAddress(url)).toBeUndefined();
  });
});

describe('replaceMysqlHost and toBareAddress', () => {
  it.each([
    ['pipecd:pipecd-mysql@tcp(pipecd-mysql:3306)/db', 'rds.internal', 'pipecd:pipecd-mysql@tcp(rds.internal:3306)/db'],
    ['db:3306', '[fd00::2]', '[fd00::2]:3306'],
    ['u:p@tcp(db)', 'x', 'u:p@tcp(x)'],
  ])('%s with host %s', (url, host, expected) => {
    expect(replaceMysqlHost(url, host)).toBe(expected);
  });

  it.each([
    ['u:p@tcp(db:3306)', { address: 'db:3306', database: undefined }],
    ['u:p@tcp(db:3306)/', { address: 'db:3306', database: undefined }],
    ['u:p@tcp(db:3306)/pipecd', { address: 'db:3306', database: 'pipecd' }],
    ['db:3306/pipecd', { address: 'db:3306', database: 'pipecd' }],
    ['db:3306', { address: 'db:3306', database: undefined }],
    ['u:p@tcp(db)/x', { address: 'db', database: 'x' }],
    ['u:p@tcp(db:3306)/pipecd?tls=true', undefined],
    ['u:p@tcp(db:3306)/a/b', undefined],
    ['u:p@tcp(db:3306)x', undefined],
  ] as const)('the bare address of %s', (url, expected) => {
    expect(toBareAddress(url)).toEqual(expected);
  });
});
