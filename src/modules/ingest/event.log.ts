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

interface EventRow {
  id: string;
  type: string;
  name: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  previous_id: string | null;
  properties: unknown;
  traits: unknown;
  context: unknown;
  source: string;
  timestamp: number | string;
}

const toLogged = (r: EventRow): LoggedEvent => ({
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
  const full = () =>
    db.selectFrom('events').select(['id', 'type', 'name', 'user_id', 'anonymous_id', 'previous_id', 'properties', 'traits', 'context', 'source', 'timestamp']).where('workspace_id', '=', workspaceId);
  if (!options.names) {
    // Every event is wanted: one query.
    let q = full().where('id', '>', after);
    if (bound) q = q.where('id', '<', bound);
    const rows = await q.orderBy('id').limit(options.limit).execute();
    return { events: rows.map(toLogged), last: rows.at(-1)?.id, scanned: rows.length };
  }
  let q = db.selectFrom('events').select(['id', 'type', 'name']).where('workspace_id', '=', workspaceId).where('id', '>', after);
  if (bound) q = q.where('id', '<', bound);
  const heads = await q.orderBy('id').limit(options.limit).execute();
  const names = options.names;
  const wanted = heads.filter((h) => h.type === 'track' && h.name !== null && names.has(h.name)).map((h) => h.id);
  const events: LoggedEvent[] = [];
  for (let i = 0; i < wanted.length; i += 500) {
    for (const r of await full().where('id', 'in', wanted.slice(i, i + 500)).orderBy('id').execute()) events.push(toLogged(r));
  }
  return { events, last: heads.at(-1)?.id, scanned: heads.length };
}

/** One event of the log, by id. */
export async function eventById(db: Kysely<Database>, workspaceId: string, id: string): Promise<LoggedEvent | undefined> {
  const row = await db
    .selectFrom('events')
    .select(['id', 'type', 'name', 'user_id', 'anonymous_id', 'previous_id', 'properties', 'traits', 'context', 'source', 'timestamp'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toLogged(row) : undefined;
}
