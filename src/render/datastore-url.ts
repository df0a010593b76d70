/**
 * PipeCD's MySQL url is the address part of a Go MySQL DSN: `user:pass@tcp(host:port)` with an
 * optional `/database`, or a bare `host:port` when the credentials come from usernameFile and
 * passwordFile. These functions touch the host and nothing else, so a password that happens to
 * hold the old host name is never rewritten (the failure of `sed s/pipecd-mysql/$DB_HOST/`).
 */

export interface MysqlAddress {
  /** Everything before the host: `user:pass@tcp(`, or '' for a bare address. */
  readonly before: string;
  readonly host: string;
  /** `:3306`, or '' when the url has no port. */
  readonly port: string;
  /** Everything after the port: `)/db?x=y`, `/db`, or ''. */
  readonly after: string;
}

const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[^:/()@[\]]*)(:\d{1,5})?/;

export function parseMysqlUrl(url: string): MysqlAddress | undefined {
  // Go's DSN parser splits user info at the last '@', since a password may hold one.
  const at = url.lastIndexOf('@');
  const userInfo = at >= 0 ? url.slice(0, at + 1) : '';
  const rest = url.slice(userInfo.length);
  const tcp = rest.startsWith('tcp(');
  if (userInfo !== '' && !tcp) return undefined;
  const open = userInfo + (tcp ? 'tcp(' : '');
  const addressAndAfter = url.slice(open.length);
  const match = HOST_PORT.exec(addressAndAfter);
  if (!match || match[1] === '') return undefined;
  const after = addressAndAfter.slice(match[0].length);
  if (tcp ? !after.startsWith(')') : after !== '' && !after.startsWith('/')) return undefined;
  return { before: open, host: match[1]!, port: match[2] ?? '', after };
}

export const formatMysqlUrl = (a: MysqlAddress): string => a.before + a.host + a.port + a.after;

/** The url with its host replaced; the user info, port, database and parameters are kept as they were. */
export function replaceMysqlHost(url: string, host: string): string | undefined {
  const parsed = parseMysqlUrl(url);
  return parsed && formatMysqlUrl({ ...parsed, host });
}

/**
 * The bare `host:port` PipeCD wants when username and password come from files, and the database
 * name the url carried after '/', if any (query parameters are not allowed there).
 */
export function toBareAddress(url: string): { address: string; database: string | undefined } | undefined {
  const parsed = parseMysqlUrl(url);
  if (!parsed) return undefined;
  const tail = parsed.before.endsWith('tcp(') ? parsed.after.slice(1) : parsed.after;
  if (tail !== '' && !/^\/[^/?]*$/.test(tail)) return undefined;
  const database = tail.length > 1 ? tail.slice(1) : undefined;
  return { address: parsed.host + parsed.port, database };
}

/**
 * Whether go-sql-driver/mysql (v1.6, which PipeCD's server opens the DSN with) would refuse `dsn`:
 * the address part of its ParseDSN (dsn.go) and the default address of normalize(). Parameters
 * after `?` are not checked.
 */
export function mysqlDsnProblem(dsn: string): string | undefined {
  const slash = dsn.lastIndexOf('/');
  if (slash < 0) return dsn.length > 0 ? 'has no / before the database name' : undefined;
  let net = '';
  let addr = '';
  if (slash > 0) {
    const at = dsn.lastIndexOf('@', slash);
    const open = dsn.slice(at + 1, slash).indexOf('(');
    const k = open < 0 ? slash : at + 1 + open;
    if (open >= 0) {
      if (dsn[slash - 1] !== ')') {
        return dsn.slice(k + 1, slash).includes(')')
          ? 'has an unescaped ) in the address'
          : 'has an address not closed by ) before the database name';
      }
      addr = dsn.slice(k + 1, slash - 1);
    }
    net = dsn.slice(at + 1, k);
  }
  if (addr === '' && net !== '' && net !== 'tcp' && net !== 'unix') return 'names a network with no default address';
  return undefined;
}
