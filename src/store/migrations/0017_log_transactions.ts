import { sql } from 'kysely';
import type { StoreMigration } from './migration.js';

/**
 * The logs that modules follow (`outbox`, `events`) record the transaction that wrote each row,
 * so that readers follow them by a transaction horizon instead of a settle window (see
 * store/log-horizon.ts): `tx`, on PostgreSQL the writer's xid8 as a bigint
 * (`pg_current_xact_id()`, the top-level transaction even inside a savepoint), on SQLite 0.
 *
 * Rows already there get 0: they were all written by transactions that have ended, and cursors
 * written before (bare ids) read as (0, id), so a follower goes on exactly where it was. The
 * column is added with the constant default first (no rewrite of the table on PostgreSQL), then
 * the default becomes the xid for the rows to come.
 *
 * Readers take rows in (tx, id) order after their cursor: an index on (workspace_id, tx, id) for
 * each log (on PostgreSQL a partitioned index, one per month of `events`). Building it reads the
 * table once and holds off inserts meanwhile: expect it to take about as long as that.
 */
export const m0017LogTransactions: StoreMigration = {
  name: '0017_log_transactions',
  async up(db, d) {
    for (const table of ['outbox', 'events']) {
      await db.schema
        .alterTable(table)
        .addColumn('tx', 'bigint', (c) => c.notNull().defaultTo(0))
        .execute();
      if (d.name === 'postgres') await sql`alter table ${sql.table(table)} alter column tx set default (pg_current_xact_id()::text::bigint)`.execute(db);
    }
    await db.schema.createIndex('outbox_tx_idx').on('outbox').columns(['workspace_id', 'tx', 'id']).execute();
    await db.schema.createIndex('events_tx_idx').on('events').columns(['workspace_id', 'tx', 'id']).execute();
  },
};
