import { describe, expect, it } from 'vitest';
import { mysqlDsnProblem } from '../../src/render/datastore-url.js';

/**
 * The control plane is refused before start when PipeCD's server would fail to open its MySQL DSN,
 * and let through when it would open it. These cases pin mysqlDsnProblem to the address part of
 * go-sql-driver/mysql v1.6 ParseDSN and normalize() (mirrored in test/oracle/mysql.go): which byte
 * it splits the network and the address at, which `)` it looks for, and which networks have a
 * default address. Each expected answer is what the Go code gives for the same string; the comment
 * beside a refusal is the driver's own error.
 */

const NO_SLASH = 'has no / before the database name';
const NOT_CLOSED = 'has an address not closed by ) before the database name';
const UNESCAPED = 'has an unescaped ) in the address';
const NO_DEFAULT = 'names a network with no default address';

describe('mysqlDsnProblem: the DSNs the driver opens', () => {
  it.each([
    ['the empty DSN (ParseDSN takes it as all defaults)', ''],
    ['a slash first, with no network or address', '/db'],
    ['user info, an empty network, then the database', 'u@/db'],
    ['tcp with its address', 'u:p@tcp(db:3306)/pipecd'],
    ['tcp with an empty address (defaults to 127.0.0.1:3306)', 'u:p@tcp()/db'],
    ['tcp named with no parentheses at all', 'u@tcp/db'],
    ['unix with no address (defaults to /tmp/mysql.sock)', 'u@unix/db'],
    ['an address in parentheses right after the @, with no network name', 'u@(h:1)/db'],
    ['an address in parentheses at the very start', '(h:1)/db'],
    ['a network with an address of its own', 'u@foo(bar)/db'],
    ['a password holding @ and (, split at the last @ before the slash', 'u:p(@x@tcp(h:1)/db'],
    ['a ) in the query after the slash', 'u@tcp(h:1)/db?x=)'],
  ])('%s: %j', (_what, dsn) => {
    expect(mysqlDsnProblem(dsn)).toBeUndefined();
  });
});

describe('mysqlDsnProblem: the DSNs the driver refuses, each with its reason', () => {
  it.each([
    // invalid DSN: missing the slash separating the database name
    ['no slash at all', 'u:p@tcp(db:3306)', NO_SLASH],
    ['a single character and no slash', 'x', NO_SLASH],
    // invalid DSN: network address not terminated (missing closing brace)
    ['tcp( never closed', 'u@tcp(h/db', NOT_CLOSED],
    ['an address opened at the very start and never closed', '(h:1/db', NOT_CLOSED],
    ['a ) in the password, before the ( of the address', 'u)@tcp(h/db', NOT_CLOSED],
    ['a ) between the @ and the (', 'u@)(h/db', NOT_CLOSED],
    ['tcp( closed only after the slash', 'u@tcp(h/d)b', NOT_CLOSED],
    // invalid DSN: did you forget to escape a param value?
    ['a ) inside the address that is not its last byte', 'u@tcp(h)x/db', UNESCAPED],
    ['a ) right after the (', 'u@tcp()x/db', UNESCAPED],
    // default addr for network '...' unknown
    ['a network with empty parentheses', 'u@foo()/db', NO_DEFAULT],
    ['a network with no parentheses (the whole part after @ is the network)', 'u@host/db', NO_DEFAULT],
    ['a network with no user info', 'udp/db', NO_DEFAULT],
    ['a network, with an @ after the slash that does not move the split', 'u@foo()/a@b', NO_DEFAULT],
    ['tcp misspelt as a network', 'u@tcp4/db', NO_DEFAULT],
    ['unix misspelt as a network', 'u@unixx()/db', NO_DEFAULT],
  ])('%s: %j', (_what, dsn, problem) => {
    expect(mysqlDsnProblem(dsn)).toBe(problem);
  });
});
