import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { SqliteDialect } from 'kysely';

const require = createRequire(import.meta.url);

/**
 * better-sqlite3 12 (built on node::ObjectWrap) aborts the process on Node ≥ 24.19
 * when a garbage-collected statement is finalised; 13 (Node-API) fixes that but needs
 * Node ≥ 22. npm installs 13 as the optional `better-sqlite3-napi` wherever its
 * engine allows (Node 22+), and we prefer it; on Node 20 only 12 is there.
 */
function loadDriver(): typeof BetterSqlite3 {
  try {
    return require('better-sqlite3-napi') as typeof BetterSqlite3;
  } catch {
    return require('better-sqlite3') as typeof BetterSqlite3;
  }
}

const Driver = loadDriver();

/**
 * The embedded database: one file, WAL so readers never block the writer,
 * synchronous=FULL so an acknowledged commit survives a crash or power loss,
 * foreign keys on, and a busy timeout instead of immediate SQLITE_BUSY.
 */
export function openSqlite(path: string): { dialect: SqliteDialect; raw: BetterSqlite3.Database } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const raw = new Driver(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  return { dialect: new SqliteDialect({ database: raw }), raw };
}
