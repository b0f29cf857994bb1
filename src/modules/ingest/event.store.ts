/**
 * The event store's write side, used inside the writer's transaction: claim messageIds in
 * the dedupe table, append the new events, bump the rollups, record validation errors.
 */
import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import type { Database, DialectName, EventsTable, IngestErrorsTable } from '../../store/index.js';
import type { DailyCount, SourceTotal } from './rollup.js';

export type EventRow = Insertable<EventsTable> & {
  workspace_id: string;
  id: string;
  message_id: string;
  type: string;
  name: string | null;
  source: string;
  timestamp: number;
  received_at: number;
};
export type ErrorRow = Insertable<IngestErrorsTable>;

/** Rows per statement: well under SQLite's and PostgreSQL's bound-parameter limits (19 × 1000 < 32 766). */
const CHUNK = 1000;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  if (items.length <= size) return [items as T[]];
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export const dedupeKey = (workspaceId: string, messageId: string) => `${workspaceId}\u0001${messageId}`;

/**
 * The hot path's statements, written once for both dialects as plain SQL (the same text
 * runs on SQLite and PostgreSQL; only the placeholder spelling differs, see `valuesList`).
 * Built by hand rather than through Kysely's builder: for a commit of a thousand events the
 * builder's per-value parsing and compiling cost more than the database's own work.
 */
interface MultiRowInsert<R> {
  table: string;
  columns: readonly (keyof R & string)[];
  /** After the VALUES list: ON CONFLICT …, RETURNING …; identifiers quoted as in `head`. */
  tail: string;
}

/** Identifiers double-quoted (both dialects), so no column name can collide with a keyword. */
const q = (identifier: string) => `"${identifier}"`;
const head = (s: MultiRowInsert<never>) => `insert into ${q(s.table)} (${s.columns.map(q).join(', ')}) values `;

const EVENT_COLUMNS = [
  'workspace_id',
  'id',
  'message_id',
  'type',
  'name',
  'user_id',
  'anonymous_id',
  'group_id',
  'previous_id',
  'profile_id',
  'source',
  'properties',
  'traits',
  'context',
  'integrations',
  'timestamp',
  'original_timestamp',
  'sent_at',
  'received_at',
] as const satisfies readonly (keyof EventRow)[];

const insertEvents: MultiRowInsert<EventRow> = {
  table: 'events',
  columns: EVENT_COLUMNS,
  tail: '',
};

interface DedupeRow {
  workspace_id: string;
  message_id: string;
  event_id: string;
  received_at: number;
}

const claimDedupe: MultiRowInsert<DedupeRow> = {
  table: 'event_dedupe',
  columns: ['workspace_id', 'message_id', 'event_id', 'received_at'],
  tail: ' on conflict ("workspace_id", "message_id") do nothing returning "workspace_id", "message_id"',
};

const upsertDailyCounts: MultiRowInsert<DailyCount> = {
  table: 'event_daily_counts',
  columns: ['workspace_id', 'day', 'type', 'name', 'source', 'count'],
  tail:
    ' on conflict ("workspace_id", "day", "type", "name", "source")' +
    ' do update set "count" = "event_daily_counts"."count" + "excluded"."count"',
};

const upsertSourceTotals: MultiRowInsert<SourceTotal> = {
  table: 'event_sources',
  columns: ['workspace_id', 'source', 'events', 'last_event_at'],
  tail:
    ' on conflict ("workspace_id", "source") do update set "events" = "event_sources"."events" + "excluded"."events",' +
    ' "last_event_at" = case when "excluded"."last_event_at" > "event_sources"."last_event_at"' +
    ' then "excluded"."last_event_at" else "event_sources"."last_event_at" end',
};

/** `(?, ?), (?, ?)` on SQLite, `($1, $2), ($3, $4)` on PostgreSQL: the one place the dialects differ here. */
export function valuesList(dialect: DialectName, rows: number, width: number): string {
  if (dialect === 'sqlite') {
    const row = `(${'?, '.repeat(width - 1)}?)`;
    return `${row}, `.repeat(rows - 1) + row;
  }
  const out: string[] = new Array<string>(rows);
  let n = 1;
  for (let r = 0; r < rows; r++) {
    const cells: string[] = new Array<string>(width);
    for (let c = 0; c < width; c++) cells[c] = `$${n++}`;
    out[r] = `(${cells.join(', ')})`;
  }
  return out.join(', ');
}

async function insertRows<R, Out = never>(
  db: Kysely<Database>,
  dialect: DialectName,
  statement: MultiRowInsert<R>,
  rows: readonly R[],
  size = CHUNK,
): Promise<Out[]> {
  const returned: Out[] = [];
  const width = statement.columns.length;
  for (const part of chunks(rows, size)) {
    const params: unknown[] = new Array<unknown>(part.length * width);
    let i = 0;
    for (const row of part) for (const column of statement.columns) params[i++] = row[column] ?? null;
    const text = head(statement as MultiRowInsert<never>) + valuesList(dialect, part.length, width) + statement.tail;
    const result = await db.executeQuery<Out>(CompiledQuery.raw(text, params));
    for (const r of result.rows) returned.push(r);
  }
  return returned;
}

/** Claim each (workspace, messageId); returns the keys that were new. */
export async function claimMessageIds(db: Kysely<Database>, dialect: DialectName, rows: readonly EventRow[]): Promise<Set<string>> {
  const claims = rows.map((r) => ({ workspace_id: r.workspace_id, message_id: r.message_id, event_id: r.id, received_at: r.received_at }));
  const claimed = await insertRows<DedupeRow, { workspace_id: string; message_id: string }>(db, dialect, claimDedupe, claims);
  return new Set(claimed.map((c) => dedupeKey(c.workspace_id, c.message_id)));
}

export async function appendEvents(db: Kysely<Database>, dialect: DialectName, rows: readonly EventRow[]): Promise<void> {
  await insertRows(db, dialect, insertEvents, rows, 500);
}

/** Rollups are aggregated per commit by the caller (one row per key), so each commit is one upsert per table. */
export async function bumpDailyCounts(db: Kysely<Database>, dialect: DialectName, counts: readonly DailyCount[]): Promise<void> {
  if (counts.length) await insertRows(db, dialect, upsertDailyCounts, counts);
}

export async function bumpSourceTotals(db: Kysely<Database>, dialect: DialectName, totals: readonly SourceTotal[]): Promise<void> {
  if (totals.length) await insertRows(db, dialect, upsertSourceTotals, totals);
}

/** Record rejected messages and keep only the newest `keep` per workspace. */
export async function recordErrors(db: Kysely<Database>, rows: readonly ErrorRow[], keep: number): Promise<void> {
  if (rows.length === 0) return;
  for (const part of chunks(rows)) await db.insertInto('ingest_errors').values(part).execute();
  for (const workspaceId of new Set(rows.map((r) => r.workspace_id))) {
    const oldestKept = await db
      .selectFrom('ingest_errors')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .orderBy('id', 'desc')
      .offset(keep - 1)
      .limit(1)
      .executeTakeFirst();
    if (oldestKept) {
      await db.deleteFrom('ingest_errors').where('workspace_id', '=', workspaceId).where('id', '<', oldestKept.id).execute();
    }
  }
}
