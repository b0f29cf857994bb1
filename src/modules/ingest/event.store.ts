/**
 * The event store's write side, used inside the writer's transaction: claim messageIds in
 * the dedupe table, append the new events, bump the rollups, record validation errors.
 */
import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database, EventsTable, IngestErrorsTable } from '../../store/index.js';
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

/** Rows per statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 1000;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export const dedupeKey = (workspaceId: string, messageId: string) => `${workspaceId}\u0001${messageId}`;

/** Claim each (workspace, messageId); returns the keys that were new. */
export async function claimMessageIds(db: Kysely<Database>, rows: readonly EventRow[]): Promise<Set<string>> {
  const fresh = new Set<string>();
  for (const part of chunks(rows)) {
    const claimed = await db
      .insertInto('event_dedupe')
      .values(part.map((r) => ({ workspace_id: r.workspace_id, message_id: r.message_id, event_id: r.id, received_at: r.received_at })))
      .onConflict((oc) => oc.columns(['workspace_id', 'message_id']).doNothing())
      .returning(['workspace_id', 'message_id'])
      .execute();
    for (const c of claimed) fresh.add(dedupeKey(c.workspace_id, c.message_id));
  }
  return fresh;
}

export async function appendEvents(db: Kysely<Database>, rows: readonly EventRow[]): Promise<void> {
  for (const part of chunks(rows, 500)) await db.insertInto('events').values(part).execute();
}

export async function bumpDailyCounts(db: Kysely<Database>, counts: readonly DailyCount[]): Promise<void> {
  for (const part of chunks(counts)) {
    await db
      .insertInto('event_daily_counts')
      .values(part)
      .onConflict((oc) =>
        oc
          .columns(['workspace_id', 'day', 'type', 'name', 'source'])
          .doUpdateSet((eb) => ({ count: eb('event_daily_counts.count', '+', eb.ref('excluded.count')) })),
      )
      .execute();
  }
}

export async function bumpSourceTotals(db: Kysely<Database>, totals: readonly SourceTotal[]): Promise<void> {
  for (const part of chunks(totals)) {
    await db
      .insertInto('event_sources')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'source']).doUpdateSet((eb) => ({
          events: eb('event_sources.events', '+', eb.ref('excluded.events')),
          last_event_at: sql<number>`case when excluded.last_event_at > event_sources.last_event_at then excluded.last_event_at else event_sources.last_event_at end`,
        })),
      )
      .execute();
  }
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
