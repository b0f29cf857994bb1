import pg from 'pg';
import { PostgresDialect } from 'kysely';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * PostgreSQL through a pg pool. BIGINT (epoch ms, counts) is parsed to a JS number:
 * every value we store there is far below 2^53. Type parsers are set per pool, not
 * globally, so nothing else in the process is affected.
 */
export function openPostgres(
  connectionString: string,
  onIdleError: (err: Error) => void,
  maxConnections = 10,
): { dialect: PostgresDialect; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString,
    max: maxConnections,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client can lose its connection (server restart, network); without a listener
  // pg's 'error' event would crash the process. The pool replaces the client by itself.
  pool.on('error', onIdleError);
  return { dialect: new PostgresDialect({ pool }), pool };
}
