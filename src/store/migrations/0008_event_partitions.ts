import { sql, type Kysely } from 'kysely';
import type { StoreMigration } from './migration.js';

/**
 * PostgreSQL: `events` becomes a table range-partitioned by month of `received_at`, with a
 * DEFAULT partition so that no insert can fail for want of a partition. SQLite keeps one table.
 *
 * Why `received_at` and not `timestamp`: `received_at` is the server's clock at receipt, so
 * every insert goes to the current month's partition, and the partition a row belongs to is
 * known ahead of time. `timestamp` is the sender's (skew-corrected) time: backfills and
 * offline devices send months-old events, which would land in old or default partitions and
 * keep every old partition hot. `received_at` is also what event ids are made from (ids sort by
 * receipt), so the live tail and the event list, which read by id, can bound it (partition
 * pruning), and retention by receipt can later drop whole partitions.
 *
 * The primary key must contain the partition key: (workspace_id, id, received_at). Ids stay
 * unique by construction (time + random), and idempotency lives in `event_dedupe`, which is
 * not partitioned.
 *
 * Existing rows are moved over, into one partition per month they span. The table is
 * rewritten once inside the migration's transaction, holding its lock: on a large install,
 * expect this migration to take about as long as copying the table.
 *
 * Both dialects: an index on `event_dedupe (workspace_id, received_at)`, so that maintenance
 * can prune dedupe rows past the dedupe window without scanning the table.
 *
 * Later partitions are created by the hourly maintenance (`ensureEventPartitions` in the
 * ingest module), which repeats the naming below: a migration must not depend on code that
 * keeps changing, so it carries its own copy.
 */
export const m0008EventPartitions: StoreMigration = {
  name: '0008_event_partitions',
  async up(db, d) {
    await db.schema.createIndex('event_dedupe_received_idx').on('event_dedupe').columns(['workspace_id', 'received_at']).execute();
    if (d.name !== 'postgres') return;

    await sql`alter table events rename to events_unpartitioned`.execute(db);
    await sql`alter table events_unpartitioned rename constraint events_pk to events_unpartitioned_pk`.execute(db);
    await sql`alter index events_user_idx rename to events_unpartitioned_user_idx`.execute(db);
    await sql`alter index events_anonymous_idx rename to events_unpartitioned_anonymous_idx`.execute(db);

    // Same columns in the same order (so `select *` moves rows), defaults and NOT NULLs.
    await sql`create table events (like events_unpartitioned including defaults) partition by range (received_at)`.execute(db);
    await sql`alter table events add constraint events_pk primary key (workspace_id, id, received_at)`.execute(db);
    await sql`alter table events add constraint events_workspace_id_fkey foreign key (workspace_id) references workspaces (id) on delete cascade`.execute(db);
    await db.schema.createIndex('events_user_idx').on('events').columns(['workspace_id', 'user_id', 'timestamp']).execute();
    await db.schema.createIndex('events_anonymous_idx').on('events').columns(['workspace_id', 'anonymous_id', 'timestamp']).execute();
    await sql`create table events_default partition of events default`.execute(db);

    // A partition for every month that has rows, and for this month and the next three.
    const { rows } = await sql<{ month: string }>`
      select distinct to_char(to_timestamp(received_at / 1000.0) at time zone 'UTC', 'YYYY-MM') as month
      from events_unpartitioned`.execute(db);
    const months = new Set(rows.map((r) => r.month));
    const now = new Date();
    for (let i = 0; i <= 3; i++) months.add(monthKey(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i, 1)));
    for (const month of [...months].sort()) await createMonth(db, month);

    await sql`insert into events select * from events_unpartitioned`.execute(db);
    await sql`drop table events_unpartitioned`.execute(db);
  },
};

const monthKey = (ms: number): string => new Date(ms).toISOString().slice(0, 7);

/** `2026-03` → `events_y2026m03`, holding received_at in [2026-03-01, 2026-04-01) UTC, as epoch ms. */
async function createMonth(db: Kysely<unknown>, month: string): Promise<void> {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  const from = Date.UTC(year, mon - 1, 1);
  const to = Date.UTC(year, mon, 1);
  const name = `events_y${month.replace('-', 'm')}`;
  await sql`create table ${sql.table(name)} partition of events for values from (${sql.lit(from)}) to (${sql.lit(to)})`.execute(db);
}
