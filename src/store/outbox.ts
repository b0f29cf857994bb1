/**
 * The outbox: a module that establishes a fact (records upserted, profiles merged …)
 * appends it here in the same transaction as the change, so "stored" and "announced"
 * commit together. Subscribers read the log after their cursor, through the job queue.
 *
 * Followers read in (tx, id) order, tx being the writing transaction, and only below the
 * transaction horizon (store/log-horizon.ts): on PostgreSQL, with several processes, a
 * transaction that took its ids earlier may commit later than another, and the horizon makes
 * sure a follower never moves past a fact still to commit. A cursor is a `LogPosition`
 * (store/log-position.ts), stored as a string.
 */
import type { Kysely } from 'kysely';
import { IdSequence } from '../platform/id-sequence.js';
import { idFloor } from '../platform/ids.js';
import { fromJson, toJson, type DialectName } from './dialect/types.js';
import { logHorizon } from './log-horizon.js';
import { comparePositions, decodePosition, encodePosition, type LogPosition } from './log-position.js';
import type { Database } from './schema.js';

export interface Fact {
  topic: string;
  /** What the fact is about (a customer key), for readers that keep order per subject. */
  subject?: string | null;
  payload: unknown;
}

export interface StoredFact<P = unknown> extends Required<Fact> {
  id: string;
  workspaceId: string;
  payload: P;
  createdAt: number;
  /** The cursor position just past this fact. */
  position: string;
}

const ids = new IdSequence('fct');

export async function appendFacts(db: Kysely<Database>, workspaceId: string, facts: Fact[], now: number): Promise<void> {
  if (facts.length === 0) return;
  await db
    .insertInto('outbox')
    .values(
      facts.map((f) => ({
        workspace_id: workspaceId,
        id: ids.next(now),
        topic: f.topic,
        subject: f.subject ?? null,
        payload: toJson(f.payload),
        created_at: now,
      })),
    )
    .execute();
}

/**
 * Facts after the position `after` (exclusive), in log order, of the given topics; with
 * `horizon`, only those whose transaction is below it (see `followFacts`, which sets it).
 */
export async function readFacts(
  db: Kysely<Database>,
  workspaceId: string,
  options: { after: string; horizon?: number | undefined; topics: string[]; limit: number },
): Promise<StoredFact[]> {
  const after = decodePosition(options.after);
  let query = db
    .selectFrom('outbox')
    .select(['id', 'tx', 'workspace_id', 'topic', 'subject', 'payload', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb(eb.refTuple('tx', 'id'), '>', eb.tuple(after.tx, after.id)))
    .where('topic', 'in', options.topics);
  if (options.horizon !== undefined) query = query.where('tx', '<', options.horizon);
  const rows = await query.orderBy('tx').orderBy('id').limit(options.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    workspaceId: r.workspace_id,
    topic: r.topic,
    subject: r.subject,
    payload: fromJson(r.payload),
    createdAt: Number(r.created_at),
    position: encodePosition({ tx: Number(r.tx), id: r.id }),
  }));
}

/**
 * A page of facts for a follower, and how far its cursor may move: to the last fact when the page
 * is full, else past every fact of other topics read over too, up to the newest one below the
 * horizon. A follower of a rare topic then never scans the same facts of other topics again.
 * Call it in the follower's transaction, which also writes the cursor, before that transaction's
 * first write (see `logHorizon`).
 */
export async function followFacts(
  db: Kysely<Database>,
  dialect: DialectName,
  workspaceId: string,
  options: { after: string; topics: string[]; limit: number },
): Promise<{ facts: StoredFact[]; position: string }> {
  const horizon = await logHorizon(db, dialect);
  const facts = await readFacts(db, workspaceId, { ...options, horizon });
  const last = facts.at(-1);
  if (last && facts.length >= options.limit) return { facts, position: last.position };
  const after = decodePosition(options.after);
  let newest = db
    .selectFrom('outbox')
    .select(['tx', 'id'])
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb(eb.refTuple('tx', 'id'), '>', eb.tuple(after.tx, after.id)));
  if (horizon !== undefined) newest = newest.where('tx', '<', horizon);
  const row = await newest.orderBy('tx', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return { facts, position: row ? encodePosition({ tx: Number(row.tx), id: row.id }) : (last?.position ?? options.after) };
}

/**
 * The position a follower may move to when whatever committed before now is accounted for
 * another way (a backfill that walks the data itself): every fact before it had committed (or
 * rolled back) by the time this was called. Call it before the walk reads anything.
 */
export async function factsPositionNow(db: Kysely<Database>, dialect: DialectName, now: number): Promise<string> {
  const horizon = await logHorizon(db, dialect);
  // SQLite: commits follow id order, so every fact made before now is behind the floor of now's ids.
  return encodePosition(horizon === undefined ? { tx: 0, id: idFloor('fct', now) } : { tx: horizon, id: 'fct_' });
}

/** Whether a cursor stands before `position` (the earlier it stands, the more it reads). */
export const positionBefore = (cursor: string, position: string): boolean => comparePositions(decodePosition(cursor), decodePosition(position)) < 0;

/** A subscriber's position in a log ('' before the first read). */
export async function readCursor(db: Kysely<Database>, workspaceId: string, consumer: string): Promise<string> {
  const row = await db
    .selectFrom('consumer_cursors')
    .select('position')
    .where('workspace_id', '=', workspaceId)
    .where('consumer', '=', consumer)
    .executeTakeFirst();
  return row?.position ?? '';
}

/** Move the cursor; call it in the transaction that applied what was read. */
export async function writeCursor(db: Kysely<Database>, workspaceId: string, consumer: string, position: string, now: number): Promise<void> {
  await db
    .insertInto('consumer_cursors')
    .values({ workspace_id: workspaceId, consumer, position, updated_at: now })
    .onConflict((oc) => oc.columns(['workspace_id', 'consumer']).doUpdateSet({ position, updated_at: now }))
    .execute();
}

/**
 * Maintenance: facts older than `before` go once every subscriber of the workspace has read
 * past them (the lowest outbox cursor); facts nobody has read yet stay, however old.
 */
export async function pruneFacts(db: Kysely<Database>, before: number): Promise<number> {
  const lowest = new Map<string, LogPosition>();
  for (const c of await db.selectFrom('consumer_cursors').select(['workspace_id', 'position']).execute()) {
    const position = decodePosition(c.position);
    // Outbox positions only (event cursors hold event ids, others their own marks).
    if (!position.id.startsWith('fct_')) continue;
    const low = lowest.get(c.workspace_id);
    if (!low || comparePositions(position, low) < 0) lowest.set(c.workspace_id, position);
  }
  let deleted = 0;
  for (const [workspaceId, low] of lowest) {
    const result = await db
      .deleteFrom('outbox')
      .where('workspace_id', '=', workspaceId)
      .where('created_at', '<', before)
      .where((eb) => eb(eb.refTuple('tx', 'id'), '<=', eb.tuple(low.tx, low.id)))
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}
