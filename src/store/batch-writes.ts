/**
 * Rows a batch of background work writes, kept until the batch's end and then written with one
 * multi-row INSERT per table (in chunks that stay under both dialects' bound-parameter limits),
 * instead of one statement — one round trip — per row. Only for rows nothing in the batch reads
 * back before the flush; the caller flushes inside its transaction, before its facts, so the rows
 * commit with the change that asked for them or not at all.
 *
 * - `insert`: plain rows (ids unique by construction); `insertOrIgnore`: rows a unique key may
 *   already hold (ON CONFLICT DO NOTHING, e.g. jobs with a uniqueKey: the partial unique index
 *   keeps one unfinished job per key, as `enqueueJob` does).
 * - `upsertRecords`: silo records (upsertSourceRecords); two writes of one record in a batch keep
 *   the last, as two upserts in a row would.
 * - `beforeFlush`: rows that sum up the batch (one delivery job for all its notifications), made
 *   once from what the batch gathered, just before the flush writes everything.
 */
import type { Insertable, Kysely } from 'kysely';
import type { Database } from './schema.js';
import { upsertSourceRecords, type SourceRecordRow } from './source-records.js';

/** Bound parameters per statement: PostgreSQL allows 65 535, SQLite (3.32+) 32 766. */
const MAX_PARAMS = 30_000;

type Table = keyof Database;

interface Group {
  table: Table;
  ignoreConflicts: boolean;
  rows: Record<string, unknown>[];
}

export class BatchWrites {
  private readonly groups = new Map<string, Group>();
  private readonly records = new Map<string, SourceRecordRow>();
  private readonly summaries = new Map<string, () => void>();

  insert<T extends Table>(table: T, row: Insertable<Database[T]>): void {
    this.add(table, false, row as Record<string, unknown>);
  }

  insertOrIgnore<T extends Table>(table: T, row: Insertable<Database[T]>): void {
    this.add(table, true, row as Record<string, unknown>);
  }

  upsertRecords(rows: readonly SourceRecordRow[]): void {
    for (const r of rows) {
      const key = `${r.workspace_id}\u0000${r.source}\u0000${r.kind}\u0000${r.external_id}`;
      this.records.delete(key);
      this.records.set(key, r);
    }
  }

  /** Run `addRows` once at the start of the next flush (once per `key`, however often asked); it may add rows. */
  beforeFlush(key: string, addRows: () => void): void {
    if (!this.summaries.has(key)) this.summaries.set(key, addRows);
  }

  get size(): number {
    let n = this.records.size;
    for (const g of this.groups.values()) n += g.rows.length;
    return n;
  }

  /** Write everything kept, table by table in the order first written to, and forget it. */
  async flush(db: Kysely<Database>): Promise<void> {
    const summaries = [...this.summaries.values()];
    this.summaries.clear();
    for (const addRows of summaries) addRows();
    const groups = [...this.groups.values()];
    const records = [...this.records.values()];
    this.groups.clear();
    this.records.clear();
    for (const g of groups) {
      for (const rows of chunks(g.rows)) {
        const q = db.insertInto(g.table).values(rows as never);
        await (g.ignoreConflicts ? q.onConflict((oc) => oc.doNothing()) : q).execute();
      }
    }
    for (const rows of chunks(records)) await upsertSourceRecords(db, rows).execute();
  }

  private add(table: Table, ignoreConflicts: boolean, row: Record<string, unknown>): void {
    const key = `${table}\u0000${ignoreConflicts ? 1 : 0}`;
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { table, ignoreConflicts, rows: [] }));
    g.rows.push(row);
  }
}

/** Rows in slices that stay under the parameter limit (a slice's rows share one column list). */
function chunks<R extends object>(rows: readonly R[]): R[][] {
  if (rows.length === 0) return [];
  const columns = Math.max(1, Object.keys(rows[0] as object).length);
  const size = Math.max(1, Math.floor(MAX_PARAMS / columns));
  const out: R[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
