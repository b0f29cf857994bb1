/**
 * Every read of raw events goes through this one small interface, so that a columnar store
 * (ClickHouse) can serve them later without touching the routes. The SQL implementation
 * reads the `events` table and the daily rollups.
 */
import type { Kysely } from 'kysely';
import { toIso } from '../../platform/clock.js';
import { fromJson, type Database } from '../../store/index.js';
import type { DayCount, EventView } from './events.schema.js';
import type { MessageType } from './message.schema.js';

export interface EventReader {
  /** Newest first; `before` is the last id of the previous page. */
  page(workspaceId: string, limit: number, before?: string): Promise<{ events: EventView[]; nextCursor: string | null }>;
  /** Events received after the cursor, oldest first; without a cursor, the latest `limit`. */
  tail(workspaceId: string, limit: number, after?: string): Promise<{ events: EventView[]; cursor: string | null }>;
  /** Daily counts from the rollups, days inclusive (YYYY-MM-DD, UTC). */
  dailyCounts(workspaceId: string, from: string, to: string): Promise<DayCount[]>;
}

export function sqlEventReader(db: Kysely<Database>): EventReader {
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
      if (before) q = q.where('e.id', '<', before);
      const rows = await q.orderBy('e.id', 'desc').limit(limit + 1).execute();
      const page = rows.slice(0, limit);
      return { events: page.map(view), nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
    },
    async tail(workspaceId, limit, after) {
      const rows = after
        ? await base(workspaceId).where('e.id', '>', after).orderBy('e.id', 'asc').limit(limit).execute()
        : (await base(workspaceId).orderBy('e.id', 'desc').limit(limit).execute()).reverse();
      return { events: rows.map(view), cursor: rows.at(-1)?.id ?? after ?? null };
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
