/**
 * Every read of raw events goes through this one small interface, so that a columnar store
 * (ClickHouse) can serve them later without touching the routes. The SQL implementation
 * reads the `events` table and the daily rollups.
 */
import type { Kysely } from 'kysely';
import { toIso, type Clock } from '../../platform/clock.js';
import { fromJson, type Database } from '../../store/index.js';
import { idFloor, timeOfId } from '../../platform/ids.js';
import type { DayCount, EventView } from './events.schema.js';
import type { MessageType } from './message.schema.js';

export interface EventReader {
  /** Newest first; `before` is the last id of the previous page. */
  page(workspaceId: string, limit: number, before?: string): Promise<{ events: EventView[]; nextCursor: string | null }>;
  /**
   * Events stored after the cursor, oldest first; without a cursor, the latest `limit`. The
   * returned cursor stays up to `TAIL_SETTLE_MS` behind the newest event, so the next call
   * reads those again (callers drop ids they have): see `TAIL_SETTLE_MS`.
   */
  tail(workspaceId: string, limit: number, after?: string): Promise<{ events: EventView[]; cursor: string | null }>;
  /** Daily counts from the rollups, days inclusive (YYYY-MM-DD, UTC). */
  dailyCounts(workspaceId: string, from: string, to: string): Promise<DayCount[]>;
}

/**
 * How long after its id's time an event is assumed to be visible (committed) to every reader.
 * Ids are made from each process's clock when its commit starts, so with several processes on
 * one PostgreSQL an event with a smaller id can commit after a larger one has been read. The
 * tail therefore never moves its cursor past `now − TAIL_SETTLE_MS`: events newer than that are
 * returned at once but read again by the next calls until they are older than the window. An
 * event is only missed if its commit takes longer than this, plus however far its process's
 * clock is behind the reader's.
 */
export const TAIL_SETTLE_MS = 5_000;

/**
 * Ids are made at or after the event's receipt (`received_at`), normally within milliseconds:
 * later only by the time a request waits for its commit, or after the clock stepped back. A day
 * is far more than either, and lets a tail query skip every partition older than that.
 */
const RECEIPT_BEFORE_ID_MS = 86_400_000;

export function sqlEventReader(db: Kysely<Database>, clock: Clock): EventReader {
  const base = (workspaceId: string) =>
    db
      .selectFrom('events as e')
      .leftJoin('api_keys as k', (j) => j.onRef('k.workspace_id', '=', 'e.workspace_id').onRef('k.id', '=', 'e.source'))
      .select([
        'e.id',
        'e.message_id',
        'e.type',
        'e.name',
        'e.user_id',
        'e.anonymous_id',
        'e.timestamp',
        'e.received_at',
        'e.source',
        'k.name as key_name',
        'e.properties',
        'e.traits',
        'e.context',
      ])
      .where('e.workspace_id', '=', workspaceId);
  type Row = Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number];
  const view = (r: Row): EventView => ({
    id: r.id,
    messageId: r.message_id,
    type: r.type as MessageType,
    name: r.name,
    userId: r.user_id,
    anonymousId: r.anonymous_id,
    timestamp: toIso(r.timestamp) as string,
    receivedAt: toIso(r.received_at) as string,
    source: { keyId: r.source, keyName: r.key_name },
    properties: fromJson(r.properties ?? r.traits),
    context: fromJson(r.context),
  });

  return {
    async page(workspaceId, limit, before) {
      let q = base(workspaceId);
      if (before) {
        q = q.where('e.id', '<', before);
        // An id is never made before its event's receipt: a bound on the partition key (PostgreSQL).
        const at = timeOfId(before);
        if (at !== undefined) q = q.where('e.received_at', '<=', at);
      }
      const rows = await q.orderBy('e.id', 'desc').limit(limit + 1).execute();
      const page = rows.slice(0, limit);
      return { events: page.map(view), nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
    },
    async tail(workspaceId, limit, after) {
      const settled = idFloor('evt', clock.now() - TAIL_SETTLE_MS);
      let rows: Row[];
      if (after) {
        let q = base(workspaceId).where('e.id', '>', after);
        const at = timeOfId(after);
        if (at !== undefined) q = q.where('e.received_at', '>=', at - RECEIPT_BEFORE_ID_MS);
        rows = await q.orderBy('e.id', 'asc').limit(limit).execute();
      } else {
        rows = (await base(workspaceId).orderBy('e.id', 'desc').limit(limit).execute()).reverse();
      }
      const last = rows.at(-1)?.id;
      // Never past the settle line, never backwards. Without a cursor and without events, the
      // settle line itself: whatever commits from now on is then after it.
      const ahead = last === undefined ? (after ?? settled) : last < settled ? last : settled;
      const cursor = after !== undefined && after > ahead ? after : ahead;
      return { events: rows.map(view), cursor };
    },
    async dailyCounts(workspaceId, from, to) {
      const rows = await db
        .selectFrom('event_daily_counts')
        .select(['day', 'type', 'name', 'source', 'count'])
        .where('workspace_id', '=', workspaceId)
        .where('day', '>=', from)
        .where('day', '<=', to)
        .orderBy('day')
        .orderBy('type')
        .orderBy('name')
        .orderBy('source')
        .execute();
      return rows.map((r) => ({ day: r.day, type: r.type, name: r.name === '' ? null : r.name, source: r.source, count: Number(r.count) }));
    },
  };
}
