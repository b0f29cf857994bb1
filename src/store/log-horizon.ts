/**
 * How far a reader of an append-only log (the outbox, the event store) may read: the
 * transaction horizon.
 *
 * Every log row records the transaction that wrote it (`tx`, PostgreSQL's 64-bit xid8; see
 * migration 0017). On PostgreSQL, with several processes, a transaction that took its xid (or
 * its ids) earlier may commit after a later one, so a reader that took rows as they appeared
 * could move past one still to come. It reads in (tx, id) order and only rows whose tx is below
 * the xmin of its snapshot: every transaction below that has ended (committed or rolled back)
 * and is visible to the read, and no transaction can ever again get an xid below it. So nothing
 * can appear behind a reader's position later, however long a transaction took, and a row is
 * readable as soon as the transactions that took an xid before its own have ended (normally
 * milliseconds). The price: a transaction left open anywhere on the PostgreSQL cluster (any
 * database) after taking an xid holds every follower back until it ends. Followers then wait;
 * nothing is lost.
 *
 * SQLite has one writer: rows commit in id order, their tx is always 0, and there is no bound.
 */
import { sql, type Kysely } from 'kysely';
import type { DialectName } from './dialect/types.js';
import type { Database } from './schema.js';

interface Snapshot {
  xmin: number | string;
  xmax: number | string;
}

const snapshot = async (db: Kysely<Database>): Promise<{ xmin: number; xmax: number }> => {
  const { rows } = await sql<Snapshot>`
    select pg_snapshot_xmin(pg_current_snapshot())::text::bigint as xmin,
           pg_snapshot_xmax(pg_current_snapshot())::text::bigint as xmax`.execute(db);
  const row = rows[0] as Snapshot;
  return { xmin: Number(row.xmin), xmax: Number(row.xmax) };
};

/**
 * The exclusive upper bound on `tx` a reader may take now; undefined when there is none (SQLite).
 * Call it before the reading transaction's first write: a transaction that has written holds
 * an xid of its own, which holds its own horizon back.
 */
export async function logHorizon(db: Kysely<Database>, dialect: DialectName): Promise<number | undefined> {
  if (dialect !== 'postgres') return undefined;
  return (await snapshot(db)).xmin;
}

/**
 * Wait until every transaction that had taken an xid when this was called has ended, so that a
 * reader called next sees everything committed before the call (on SQLite: at once). For code
 * that writes, then follows the logs itself (tests, one-off commands); followers never wait,
 * they come back. Call it outside a transaction. Throws after `timeoutMs` of real time.
 */
export async function awaitLogHorizon(db: Kysely<Database>, dialect: DialectName, timeoutMs = 60_000): Promise<void> {
  if (dialect !== 'postgres') return;
  const first = await snapshot(db);
  const target = first.xmax;
  const deadline = performance.now() + timeoutMs;
  for (let horizon = first.xmin; horizon < target; horizon = (await snapshot(db)).xmin) {
    if (performance.now() > deadline) throw new Error(`the log horizon stayed below ${target} for ${timeoutMs} ms: a transaction that took an xid before is still open`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
