/**
 * The monthly partitions of `events` on PostgreSQL (see migration 0008): created ahead of
 * time by the hourly maintenance, so that inserts always find their month's partition.
 * SQLite has one `events` table and nothing to do.
 *
 * Safe with several processes: one transaction-scoped advisory lock serialises the callers,
 * and a partition that exists is left alone (checked by name first, so the usual hourly call
 * takes no lock on `events` at all). Creating a partition locks `events` briefly; a short
 * lock timeout keeps that from waiting long behind another transaction (with every insert
 * queued behind it): the next hour tries again, months before the partition is needed.
 *
 * Rows that landed in the DEFAULT partition for a month that had no partition yet (the
 * servers were down for longer than the months created ahead, so the current month was
 * missing until this hour's run) are moved into the new partition in the same transaction,
 * since PostgreSQL refuses to create a partition whose range the default partition holds
 * rows of. Inserts wait meanwhile (a few ms when there is nothing to move).
 */
import { sql, type Kysely } from 'kysely';
import type { Database, Store } from '../../store/index.js';

/** Months created ahead of the current one. */
export const PARTITION_MONTHS_AHEAD = 3;
/** Any number, the same in every process: the advisory lock's key. */
const PARTITION_LOCK_KEY = 0x6576_7470; // 'evtp'

export interface PartitionReport {
  /** Partitions created by this call. */
  created: string[];
  /** Rows moved out of the default partition into a created one. */
  moved: number;
}

export interface MonthPartition {
  name: string;
  /** received_at bounds, epoch ms, UTC months: [from, to). */
  from: number;
  to: number;
}

/** The partition holding `ms`, shifted by `offset` months: e.g. events_y2026m03. */
export function monthPartition(ms: number, offset = 0): MonthPartition {
  const d = new Date(ms);
  const from = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1);
  const start = new Date(from);
  const to = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
  const month = String(start.getUTCMonth() + 1).padStart(2, '0');
  return { name: `events_y${start.getUTCFullYear()}m${month}`, from, to };
}

/** Make sure the partitions of the current month and the `ahead` next ones exist. Idempotent. */
export async function ensureEventPartitions(store: Store, now: number, ahead = PARTITION_MONTHS_AHEAD): Promise<PartitionReport> {
  const report: PartitionReport = { created: [], moved: 0 };
  if (store.dialect.name !== 'postgres') return report;
  const wanted = Array.from({ length: ahead + 1 }, (_, i) => monthPartition(now, i));
  const missing = await missingPartitions(store.db, wanted);
  if (missing.length === 0) return report;
  await store.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${PARTITION_LOCK_KEY})`.execute(trx);
    await sql`set local lock_timeout = '2s'`.execute(trx);
    // Another process may have created them while we waited for the lock.
    const still = await missingPartitions(trx, wanted);
    if (still.length === 0) return;
    // Hold off inserts (reads go on) while partitions are made: creating one needs an exclusive
    // lock on `events` anyway, and no row may slip into the default partition's range meanwhile.
    await sql`lock table events in share row exclusive mode`.execute(trx);
    for (const p of still) {
      report.moved += await createPartition(trx, p);
      report.created.push(p.name);
    }
  });
  return report;
}

async function missingPartitions(db: Kysely<Database>, wanted: MonthPartition[]): Promise<MonthPartition[]> {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'events'::regclass`.execute(db);
  const have = new Set(rows.map((r) => r.name));
  return wanted.filter((p) => !have.has(p.name));
}

/**
 * Create one partition; returns how many rows it took over from the default partition.
 * The caller holds off inserts (see `ensureEventPartitions`), so no row can reach the default
 * partition's range between the check and the creation.
 */
async function createPartition(trx: Kysely<Database>, p: MonthPartition): Promise<number> {
  const table = sql.table(p.name);
  const from = sql.lit(p.from);
  const to = sql.lit(p.to);
  const stray = await sql`select 1 from events_default where received_at >= ${from} and received_at < ${to} limit 1`.execute(trx);
  if (stray.rows.length === 0) {
    await sql`create table if not exists ${table} partition of events for values from (${from}) to (${to})`.execute(trx);
    return 0;
  }
  await sql`create temporary table events_moving on commit drop as
    select * from events_default where received_at >= ${from} and received_at < ${to}`.execute(trx);
  await sql`delete from events_default where received_at >= ${from} and received_at < ${to}`.execute(trx);
  await sql`create table ${table} partition of events for values from (${from}) to (${to})`.execute(trx);
  const moved = await sql`insert into events select * from events_moving`.execute(trx);
  await sql`drop table events_moving`.execute(trx);
  return Number(moved.numAffectedRows ?? 0);
}
