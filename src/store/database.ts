import { Kysely } from 'kysely';
import { resolve } from 'node:path';
import { dialectHelpers, type DialectHelpers, type DialectName } from './dialect/types.js';
import { openPostgres } from './dialect/postgres.js';
import { openSqlite } from './dialect/sqlite.js';
import type { WalCheckpointer } from './dialect/wal-checkpointer.js';
import type { WriteLock } from './dialect/sqlite-locking.js';
import { YieldToEventLoop } from './dialect/yield-plugin.js';
import type { Database } from './schema.js';
import { ChangeSignal } from './changes.js';

export interface Store {
  db: Kysely<Database>;
  dialect: DialectHelpers;
  /** Where the data lives, with any password removed; safe to print. */
  location: string;
  /** In-process wake-ups after commits (see changes.ts); every user of one Store shares it. */
  changes: ChangeSignal;
  /** Cheap liveness check used by /readyz. */
  ping(): Promise<void>;
  /** A SQLite file: run its WAL checkpoints on a worker thread until stopped (a server does). */
  checkpointInBackground?: () => WalCheckpointer;
  /** A SQLite file whose checkpoints another connection's worker runs: this one checkpoints only as a backstop. */
  checkpointOnlyAsBackstop?: () => void;
  /** SQLite: the lock this process's threads take turns to write with (dialect/sqlite-locking.ts). */
  writeLock?: WriteLock;
  close(): Promise<void>;
}

export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url);

export function dialectOf(url: string): DialectName {
  return isPostgresUrl(url) ? 'postgres' : 'sqlite';
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}

export interface StoreOptions {
  /** Told about connection errors the store recovers from by itself (a dropped idle PostgreSQL connection). */
  onConnectionError?: (err: Error) => void;
  /** SQLite: share the write lock of another thread's store of the same file (its `writeLock.buffer`). */
  writeLock?: SharedArrayBuffer | undefined;
}

/** Open the database named by `url`: a PostgreSQL URL, or a SQLite file path. */
export function openStore(url: string, options: StoreOptions = {}): Store {
  if (isPostgresUrl(url)) {
    const { dialect, pool } = openPostgres(url, options.onConnectionError ?? (() => undefined));
    const db = new Kysely<Database>({ dialect });
    return {
      db,
      dialect: dialectHelpers.postgres,
      location: redactUrl(url),
      changes: new ChangeSignal(),
      ping: async () => {
        await pool.query('select 1');
      },
      close: () => db.destroy(),
    };
  }
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  const { dialect, raw, checkpointInBackground, checkpointOnlyAsBackstop, writeLock } = openSqlite(path === ':memory:' ? path : resolve(path), options.writeLock);
  const db = new Kysely<Database>({ dialect, plugins: [new YieldToEventLoop()] });
  return {
    db,
    dialect: dialectHelpers.sqlite,
    location: path === ':memory:' ? ':memory:' : resolve(path),
    changes: new ChangeSignal(),
    ping: async () => {
      raw.prepare('select 1').get();
    },
    ...(checkpointInBackground ? { checkpointInBackground } : {}),
    ...(checkpointOnlyAsBackstop ? { checkpointOnlyAsBackstop } : {}),
    writeLock,
    close: () => db.destroy(),
  };
}
