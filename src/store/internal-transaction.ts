/**
 * Transactions of background work whose effects stay inside Empty Chair: a rule consumer's
 * batch, a resolution slice, fired deadlines, queued notifications, settled jobs. They commit
 * without waiting for the disk (SQLite: synchronous=NORMAL for that commit; PostgreSQL:
 * synchronous_commit off), because nobody outside has been told anything yet:
 *
 * - Everything that answers or reaches the outside commits durably first: an acknowledged
 *   request (the event writer, answers, the API) and the claim of every job (the step before a
 *   webhook or an e-mail leaves) are ordinary, durable transactions.
 * - A durable commit makes every earlier commit durable too (SQLite's WAL and PostgreSQL's WAL
 *   are flushed in order), so no external effect ever rests on a commit that could be lost.
 * - A power cut (a process crash loses nothing either way) can lose the internal commits made
 *   since the last durable one: a consistent prefix survives, and that work is done again from
 *   the cursors and jobs that did survive (handlers are idempotent; delivery is at least once).
 *
 * This is what lets the background keep up with ingestion: a durable commit costs an fsync,
 * and on SQLite an fsync blocks the one thread that also serves HTTP.
 */
import { sql, type Kysely } from 'kysely';
import type { Store } from './database.js';
import type { Database } from './schema.js';

export async function internalTransaction<T>(store: Store, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (store.dialect.name === 'postgres') {
    return store.db.transaction().execute(async (trx) => {
      await sql`set local synchronous_commit = off`.execute(trx);
      return work(trx);
    });
  }
  // One connection serves every query on SQLite: holding it keeps anyone else's commit from
  // running while the setting is relaxed.
  return store.db.connection().execute(async (conn) => {
    await sql`pragma synchronous = NORMAL`.execute(conn);
    try {
      return await conn.transaction().execute(work);
    } finally {
      await sql`pragma synchronous = FULL`.execute(conn);
    }
  });
}
