import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDialect } from 'kysely';
import { LockingSqliteDialect, WriteLock } from './sqlite-locking.js';
import { checkpointOnlyAsBackstop, startWalCheckpointer, type WalCheckpointer } from './wal-checkpointer.js';

const require = createRequire(import.meta.url);

/**
 * better-sqlite3 12 (built on node::ObjectWrap) aborts the process on Node ≥ 24.19
 * when a garbage-collected statement is finalised; 13 (Node-API) fixes that but needs
 * Node ≥ 22. npm installs 13 as the optional `better-sqlite3-napi` wherever its
 * engine allows (Node 22+), and we prefer it; on Node 20 only 12 is there.
 */
function loadDriver(): { Driver: typeof BetterSqlite3; driverPath: string } {
  for (const name of ['better-sqlite3-napi', 'better-sqlite3']) {
    try {
      return { Driver: require(name) as typeof BetterSqlite3, driverPath: require.resolve(name) };
    } catch {
      // Not installed (or not loadable on this Node): the next one.
    }
  }
  throw new Error('better-sqlite3 is not installed');
}

const { Driver, driverPath } = loadDriver();

/** Prepared statements kept for reuse: preparing costs as much as running a small query. */
const STATEMENT_CACHE = 500;

/**
 * Kysely prepares every query anew; this keeps the most recent statements by SQL text.
 * A statement still being iterated (a stream) is busy: then a fresh one is prepared.
 */
function withStatementCache(raw: BetterSqlite3.Database): { prepare(sql: string): BetterSqlite3.Statement; close(): void } {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(sql) {
      const cached = cache.get(sql);
      if (cached && !cached.busy) {
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const stmt = raw.prepare(sql);
      if (!cached) {
        cache.set(sql, stmt);
        if (cache.size > STATEMENT_CACHE) cache.delete(cache.keys().next().value as string);
      }
      return stmt;
    },
    close() {
      cache.clear();
      raw.close();
    },
  };
}

export interface OpenedSqlite {
  dialect: SqliteDialect;
  raw: BetterSqlite3.Database;
  /** A server: run the WAL checkpoints on a worker thread until stopped. */
  checkpointInBackground?: () => WalCheckpointer;
  /** Another connection's worker runs the checkpoints: this one checkpoints only as a backstop. */
  checkpointOnlyAsBackstop?: () => void;
  /** Taken by every write (sqlite-locking.ts); another thread's connection to the file shares its buffer. */
  writeLock: WriteLock;
}

/**
 * The embedded database: one file, WAL so readers never block the writer,
 * synchronous=FULL so an acknowledged commit survives a crash or power loss,
 * foreign keys on, writes taking turns with the process's other threads without blocking the
 * event loop (sqlite-locking.ts; `writeLock`: the buffer of another thread's connection to the
 * same file), and a busy timeout against other processes.
 */
export function openSqlite(path: string, writeLock?: SharedArrayBuffer): OpenedSqlite {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const raw = new Driver(path);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  const lock = new WriteLock(writeLock);
  const dialect = new LockingSqliteDialect({ database: withStatementCache(raw) }, lock);
  if (path === ':memory:') return { dialect, raw, writeLock: lock };
  return { dialect, raw, writeLock: lock, checkpointInBackground: () => startWalCheckpointer(raw, driverPath), checkpointOnlyAsBackstop: () => checkpointOnlyAsBackstop(raw) };
}
