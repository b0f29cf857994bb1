/**
 * The event log as other modules follow it: events after a cursor, in log order (tx, id), only
 * those below the transaction horizon (store/log-horizon.ts: on PostgreSQL an event with an
 * earlier id may still be committing, and the horizon keeps a follower from moving past it).
 * Modules that react to events (identity resolution, survey triggers, follow-up rules) read
 * here, so that the events table stays behind one interface; so do activity counts per user,
 * and the one way another module adds an event of its own (`trackDerived`, through the writer).
 */
import { sql, type Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import { idFloor } from '../../platform/ids.js';
import { decodePosition, encodePosition, fromJson, logHorizon, toJson, type Database, type DialectName, type Store } from '../../store/index.js';
import { EventWriter } from './writer.js';

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

export interface FollowedEvent extends LoggedEvent {
  /** The cursor position just past this event. */
  position: string;
}

const FULL = ['id', 'type', 'name', 'user_id', 'anonymous_id', 'previous_id', 'properties', 'traits', 'context', 'source', 'timestamp'] as const;
const positionOf = (r: { tx: number | string; id: string }): string => encodePosition({ tx: Number(r.tx), id: r.id });

/**
 * Up to `limit` events after the position `after`, in log order, below the horizon. With
 * `names`, only track events of those names are read whole (the others are skipped cheaply);
 * `last` is the position to store as the new cursor either way. Call it before the reading
 * transaction's first write (see `logHorizon`).
 */
export async function eventsAfter(
  db: Kysely<Database>,
  dialect: DialectName,
  workspaceId: string,
  after: string,
  options: { limit: number; names?: ReadonlySet<string> },
): Promise<{ events: FollowedEvent[]; last: string | undefined; scanned: number }> {
  const from = decodePosition(after);
  const horizon = await logHorizon(db, dialect);
  let log = db
    .selectFrom('events')
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb(eb.refTuple('tx', 'id'), '>', eb.tuple(from.tx, from.id)));
  if (horizon !== undefined) log = log.where('tx', '<', horizon);
  if (!options.names) {
    // Every event is wanted: one query.
    const rows = await log.select([...FULL, 'tx']).orderBy('tx').orderBy('id').limit(options.limit).execute();
    const last = rows.at(-1);
    return { events: rows.map((r) => ({ ...toLogged(r), position: positionOf(r) })), last: last && positionOf(last), scanned: rows.length };
  }
  const heads = await log.select(['id', 'tx', 'type', 'name', 'received_at']).orderBy('tx').orderBy('id').limit(options.limit).execute();
  const names = options.names;
  const wanted = heads.filter((h) => h.type === 'track' && h.name !== null && names.has(h.name));
  const whole = new Map<string, LoggedEvent>();
  for (let i = 0; i < wanted.length; i += IN_CHUNK) {
    const part = wanted.slice(i, i + IN_CHUNK);
    const received = part.map((h) => Number(h.received_at));
    const rows = await db
      .selectFrom('events')
      .select(FULL)
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', part.map((h) => h.id))
      // The partition key on PostgreSQL: only the partitions these events are in are read.
      .where('received_at', '>=', Math.min(...received))
      .where('received_at', '<=', Math.max(...received))
      .execute();
    for (const r of rows) whole.set(r.id, toLogged(r));
  }
  const events = wanted.flatMap((h) => {
    const e = whole.get(h.id);
    return e ? [{ ...e, position: positionOf(h) }] : [];
  });
  const last = heads.at(-1);
  return { events, last: last && positionOf(last), scanned: heads.length };
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

/**
 * How late an event's timestamp may be behind its receipt and still be counted: events are
 * found by id (ids grow with receipt), and a sender's clock may run ahead of ours.
 */
const CLOCK_AHEAD_SLACK_MS = 86_400_000;
/** Identifiers per statement when the caller names them. */
const IN_CHUNK = 500;

export interface Activity {
  userId: string;
  /** Events of this user id with a timestamp in [from, to). */
  count: number;
}

/**
 * Events per user id with a timestamp in [from, to), ordered by user id, for activity
 * comparisons (a weekly usage drop). Two bounded, indexed shapes:
 *
 * - without `userIds`: the events received since `from` (a range of the primary key, and of
 *   the partitions on PostgreSQL), grouped; `minCount` keeps only the active ones, and pages
 *   of `limit` (1000) follow `after` (keyset on the user id);
 * - with `userIds`: those users only, each a range of the (workspace, user, timestamp) index.
 *
 * Events whose timestamp is more than a day ahead of their receipt are not counted.
 */
export async function activityByIdentifier(
  db: Kysely<Database>,
  workspaceId: string,
  from: number,
  to: number,
  options: { limit?: number; after?: string; minCount?: number; userIds?: readonly string[] },
): Promise<Activity[]> {
  const toActivity = (rows: { user_id: string | null; n: number | string | bigint }[]): Activity[] =>
    rows.flatMap((r) => (r.user_id === null ? [] : [{ userId: r.user_id, count: Number(r.n) }]));
  if (options.userIds) {
    const out: Activity[] = [];
    const ids = [...new Set(options.userIds)].sort();
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const rows = await db
        .selectFrom('events')
        .select(['user_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('workspace_id', '=', workspaceId)
        .where('user_id', 'in', ids.slice(i, i + IN_CHUNK))
        .where('timestamp', '>=', from)
        .where('timestamp', '<', to)
        .groupBy('user_id')
        .orderBy('user_id')
        .execute();
      out.push(...toActivity(rows));
    }
    return options.minCount === undefined ? out : out.filter((a) => a.count >= (options.minCount as number));
  }
  const floor = from - CLOCK_AHEAD_SLACK_MS;
  // The user id as an expression, so that the planner walks the time range of the primary key
  // (and groups in a temporary tree) rather than the user index across the whole history.
  const user = sql<string>`${sql.ref('user_id')} || ''`;
  let q = db
    .selectFrom('events')
    .select([user.as('user_id'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('workspace_id', '=', workspaceId)
    .where('id', '>=', idFloor('evt', floor))
    // The partition key on PostgreSQL: only the partitions since `floor` are read.
    .where('received_at', '>=', floor)
    .where('timestamp', '>=', from)
    .where('timestamp', '<', to)
    .where('user_id', 'is not', null);
  if (options.after !== undefined) q = q.where(user, '>', options.after);
  let grouped = q.groupBy(user);
  if (options.minCount !== undefined) grouped = grouped.having((eb) => eb.fn.countAll(), '>=', options.minCount);
  return toActivity(await grouped.orderBy(user).limit(options.limit ?? 1000).execute());
}

/** The source of events the product itself derives (a weekly usage drop), as a write key names the others. */
export const DERIVED_SOURCE = 'emptychair';

export interface DerivedTrack {
  /** Idempotency: a second event with the same messageId is a duplicate (within the dedupe window). */
  messageId: string;
  userId: string;
  event: string;
  properties: Record<string, unknown>;
  timestamp: number;
}

/**
 * Append track events the product derives (not a sender's) through the event writer: the same
 * dedupe on messageId, ids, rollups and source totals as tracked events, so that every module
 * following the event log sees them like any other. The number newly stored.
 */
export async function trackDerived(store: Store, clock: Clock, workspaceId: string, events: readonly DerivedTrack[]): Promise<number> {
  if (events.length === 0) return 0;
  const writer = new EventWriter(store, clock);
  try {
    const now = clock.now();
    const outcome = await writer.write({
      events: events.map((e) => ({
        workspace_id: workspaceId,
        message_id: e.messageId,
        type: 'track',
        name: e.event,
        user_id: e.userId,
        anonymous_id: null,
        group_id: null,
        previous_id: null,
        profile_id: null,
        source: DERIVED_SOURCE,
        properties: toJson(e.properties),
        traits: null,
        context: '{}',
        integrations: '{}',
        timestamp: e.timestamp,
        original_timestamp: e.timestamp,
        sent_at: null,
        received_at: now,
      })),
      errors: [],
    });
    return outcome.stored.length;
  } finally {
    await writer.close();
  }
}
