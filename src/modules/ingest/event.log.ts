/**
 * The event log as other modules follow it: events after a cursor, oldest first, only those
 * settled (see store/outbox.ts: on PostgreSQL an earlier id may still be committing). Modules
 * that react to events (identity resolution, survey triggers, follow-up rules) read here, so
 * that the events table stays behind one interface.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import { fromJson, settledBound, type Database, type DialectName } from '../../store/index.js';

export interface LoggedEvent {
  id: string;
  type: string;
  /** The track event's name; null for other types. */
  name: string | null;
  userId: string | null;
  anonymousId: string | null;
  previousId: string | null;
  properties: Record<string, unknown> | null;
  traits: Record<string, unknown> | null;
  /** `context.traits`, where some SDKs put identify-like traits on any call. */
  contextTraits: Record<string, unknown> | null;
  source: string;
  /** When it happened, by the sender's clock (epoch ms). */
  timestamp: number;
}

const obj = (v: unknown): Record<string, unknown> | null => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
const json = (v: unknown) => (v === null || v === undefined ? null : obj(fromJson(v)));

/**
 * Up to `limit` settled events after `after`, oldest first. With `names`, only track events of
 * those names are read whole (the others are skipped cheaply); `last` is the position to store
 * as the new cursor either way.
 */
export async function eventsAfter(
  db: Kysely<Database>,
  dialect: DialectName,
  clock: Clock,
  workspaceId: string,
  after: string,
  options: { limit: number; names?: ReadonlySet<string> },
): Promise<{ events: LoggedEvent[]; last: string | undefined; scanned: number }> {
  const bound = settledBound('evt', dialect, clock.now());
  let q = db.selectFrom('events').select(['id', 'type', 'name']).where('workspace_id', '=', workspaceId).where('id', '>', after);
  if (bound) q = q.where('id', '<', bound);
  const heads = await q.orderBy('id').limit(options.limit).execute();
  const last = heads.at(-1)?.id;
  const wanted = options.names ? heads.filter((h) => h.type === 'track' && h.name !== null && options.names?.has(h.name)).map((h) => h.id) : heads.map((h) => h.id);
  const events: LoggedEvent[] = [];
  for (let i = 0; i < wanted.length; i += 500) {
    const rows = await db
      .selectFrom('events')
      .select(['id', 'type', 'name', 'user_id', 'anonymous_id', 'previous_id', 'properties', 'traits', 'context', 'source', 'timestamp'])
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', wanted.slice(i, i + 500))
      .orderBy('id')
      .execute();
    for (const r of rows) {
      events.push({
        id: r.id,
        type: r.type,
        name: r.name,
        userId: r.user_id,
        anonymousId: r.anonymous_id,
        previousId: r.previous_id,
        properties: json(r.properties),
        traits: json(r.traits),
        contextTraits: obj(obj(fromJson(r.context))?.traits),
        source: r.source,
        timestamp: Number(r.timestamp),
      });
    }
  }
  return { events, last, scanned: heads.length };
}
