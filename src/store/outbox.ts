/**
 * The outbox: a module that establishes a fact (records upserted, profiles merged …)
 * appends it here in the same transaction as the change, so "stored" and "announced"
 * commit together. Subscribers read the log after their cursor, through the job queue.
 *
 * Ids grow with time. With several processes on PostgreSQL, a transaction that took an id
 * earlier may commit later than one that took a later id, so readers only take ids older
 * than a settle window (`settledBound`); facts are appended as the last statement before
 * commit to keep that gap small. SQLite has one writer, so its window is zero.
 */
import type { Kysely } from 'kysely';
import { IdSequence } from '../platform/id-sequence.js';
import { idFloor, type IdPrefix } from '../platform/ids.js';
import { fromJson, toJson, type DialectName } from './dialect/types.js';
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

/** How long a reader waits before trusting that no earlier id can still commit. */
export function settleWindowMs(dialect: DialectName): number {
  return dialect === 'postgres' ? 5000 : 0;
}

/** The exclusive upper bound on ids a reader may take now; undefined when there is none. */
export function settledBound(prefix: IdPrefix, dialect: DialectName, now: number): string | undefined {
  const window = settleWindowMs(dialect);
  return window === 0 ? undefined : idFloor(prefix, now - window);
}

/** Facts after `cursor` (exclusive), oldest first, of the given topics. */
export async function readFacts(
  db: Kysely<Database>,
  workspaceId: string,
  options: { after: string; before?: string; topics: string[]; limit: number },
): Promise<StoredFact[]> {
  let query = db
    .selectFrom('outbox')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '>', options.after)
    .where('topic', 'in', options.topics);
  if (options.before !== undefined) query = query.where('id', '<', options.before);
  const rows = await query.orderBy('id').limit(options.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    workspaceId: r.workspace_id,
    topic: r.topic,
    subject: r.subject,
    payload: fromJson(r.payload),
    createdAt: Number(r.created_at),
  }));
}

/**
 * A page of facts for a follower, and how far its cursor may move: to the last fact when the page
 * is full, else past every fact of other topics read over too, up to the newest settled one. A
 * follower of a rare topic then never scans the same facts of other topics again.
 * Call it in the follower's transaction, which also writes the cursor.
 */
export async function followFacts(
  db: Kysely<Database>,
  workspaceId: string,
  options: { after: string; before?: string | undefined; topics: string[]; limit: number },
): Promise<{ facts: StoredFact[]; position: string }> {
  const { before, ...rest } = options;
  const facts = await readFacts(db, workspaceId, { ...rest, ...(before !== undefined ? { before } : {}) });
  const last = facts.at(-1);
  if (last && facts.length >= options.limit) return { facts, position: last.id };
  let newest = db.selectFrom('outbox').select((eb) => eb.fn.max('id').as('id')).where('workspace_id', '=', workspaceId).where('id', '>', options.after);
  if (before !== undefined) newest = newest.where('id', '<', before);
  const row = await newest.executeTakeFirst();
  return { facts, position: row?.id ?? last?.id ?? options.after };
}

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
  const cursors = await db
    .selectFrom('consumer_cursors')
    .select(['workspace_id', (eb) => eb.fn.min('position').as('position')])
    // Outbox positions only (the events cursor holds event ids); '_' matches itself too.
    .where('position', 'like', 'fct_%')
    .groupBy('workspace_id')
    .execute();
  let deleted = 0;
  for (const c of cursors) {
    const result = await db
      .deleteFrom('outbox')
      .where('workspace_id', '=', c.workspace_id)
      .where('created_at', '<', before)
      .where('id', '<=', String(c.position))
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}
