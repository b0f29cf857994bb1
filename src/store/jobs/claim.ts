import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Store } from '../database.js';
import type { DialectName } from '../dialect/types.js';
import type { Database } from '../schema.js';
import { toJob, type Job } from './types.js';

export interface ClaimOptions {
  /** Written to locked_by: which worker holds the lease. */
  workerId: string;
  /** At most this many jobs. */
  limit: number;
  /** The lease: if the worker has not settled or extended it by now + leaseMs, anyone may claim the job again. */
  leaseMs: number;
  now: number;
  /** Only these queues; all queues when omitted. */
  queues?: readonly string[];
  /** Not these queues (they have lanes of their own). */
  exceptQueues?: readonly string[];
}

/**
 * The one dialect difference of the claim. PostgreSQL runs several writers at once:
 * the candidate rows are locked as they are picked, and rows another worker is
 * claiming right now are skipped rather than waited for (or, worse, claimed twice).
 * SQLite has one writer, so an UPDATE over a subquery is already atomic.
 */
function lockCandidates<O>(
  dialect: DialectName,
  query: SelectQueryBuilder<Database, 'jobs', O>,
): SelectQueryBuilder<Database, 'jobs', O> {
  return dialect === 'postgres' ? query.forUpdate().skipLocked() : query;
}

/**
 * Claim up to `limit` queued jobs whose run_at has come, oldest due first, in one statement.
 * The candidates of named queues are ranges of the (queue, status, run_at) index, so a claim
 * costs the same with a hundred thousand future deadlines, or a backlog of another queue's due
 * jobs, in the table as with none; `exceptQueues` walks the (status, run_at) index past the
 * excluded queues' due jobs, so the worker uses it only for its occasional sweep of queues
 * nobody handles. Each claimed job is
 * `running`, locked by `workerId` until now + leaseMs, and its attempts counter is
 * incremented: attempts is also the claim's fencing token. Jobs whose worker died come back
 * through `requeueExpiredLeases`.
 */
export async function claimJobs(store: Store, options: ClaimOptions): Promise<Job[]> {
  const { workerId, limit, leaseMs, now, queues } = options;
  if (limit <= 0 || (queues && queues.length === 0)) return [];
  const candidates = claimCandidates(store.db, options);
  const rows = await store.db
    .updateTable('jobs')
    .set((eb) => ({
      status: 'running',
      locked_by: workerId,
      locked_until: now + leaseMs,
      attempts: eb('attempts', '+', 1),
      updated_at: now,
    }))
    .where('id', 'in', lockCandidates(store.dialect.name, candidates))
    .returningAll()
    .execute();
  return rows.map(toJob).sort((a, b) => a.runAt - b.runAt || (a.id < b.id ? -1 : 1));
}

/** The ids a claim takes: due queued jobs of the scope, oldest due first (exported for its query-plan test). */
export function claimCandidates(db: Kysely<Database>, options: Pick<ClaimOptions, 'limit' | 'now' | 'queues' | 'exceptQueues'>) {
  const { limit, now, queues, exceptQueues } = options;
  let candidates = db.selectFrom('jobs').select('id').where('status', '=', 'queued').where('run_at', '<=', now);
  if (queues && queues.length === 1) candidates = candidates.where('queue', '=', queues[0] as string).orderBy('run_at');
  // Several queues: `run_at + 0` stops SQLite's planner from walking the (status, run_at) index
  // for the order (through every due job of every other queue); it takes each queue's range of
  // (queue, status, run_at) and sorts the few due rows instead.
  else if (queues) candidates = candidates.where('queue', 'in', queues).orderBy(sql`${sql.ref('run_at')} + 0`);
  else candidates = candidates.orderBy('run_at');
  if (exceptQueues && exceptQueues.length > 0) candidates = candidates.where('queue', 'not in', exceptQueues);
  return candidates.limit(limit);
}

/**
 * Jobs whose worker died (the lease ran out, attempts left) go back to `queued`, keeping their
 * run_at, so the next claim takes them like any due job and counts the new attempt. A worker
 * that was only slow finds its claim gone: its settle and heartbeat are fenced on `running`.
 * Returns how many were put back.
 */
export async function requeueExpiredLeases(db: Kysely<Database>, now: number): Promise<number> {
  const result = await db
    .updateTable('jobs')
    .set({ status: 'queued', locked_by: null, locked_until: null, updated_at: now })
    .where('status', '=', 'running')
    .where('locked_until', '<=', now)
    .where((eb) => eb('attempts', '<', eb.ref('max_attempts')))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Jobs whose worker died on their last allowed attempt cannot be claimed again:
 * mark them failed, visibly, instead of leaving them `running` forever.
 * Returns how many were failed.
 */
export async function failAbandonedJobs(db: Kysely<Database>, now: number): Promise<number> {
  const result = await db
    .updateTable('jobs')
    .set({
      status: 'failed',
      last_error: 'lease expired on the final attempt: the worker stopped without finishing the job',
      locked_by: null,
      locked_until: null,
      finished_at: now,
      updated_at: now,
    })
    .where('status', '=', 'running')
    .where('locked_until', '<=', now)
    .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** When the next queued job falls due after `now` (epoch ms), if any: how long an idle worker may sleep. */
export async function nextDueAfter(db: Kysely<Database>, now: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('jobs')
    .select('run_at')
    .where('status', '=', 'queued')
    .where('run_at', '>', now)
    .orderBy('run_at')
    .limit(1)
    .executeTakeFirst();
  return row ? Number(row.run_at) : undefined;
}
