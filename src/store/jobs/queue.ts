import type { Insertable, Kysely } from 'kysely';
import { systemClock, type Clock } from '../../platform/clock.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { Store } from '../database.js';
import { toJson } from '../dialect/types.js';
import type { Database, JobsTable } from '../schema.js';
import { JOB_STATUSES, UNFINISHED, toJob, type Job, type JobStatus } from './types.js';

export interface EnqueueOptions {
  /** When the job is due (epoch ms); now when omitted. */
  runAt?: number;
  workspaceId?: string | null;
  /**
   * At most one unfinished (queued or running) job per (queue, uniqueKey):
   * enqueueing while one exists is a no-op that returns the existing job's id.
   * Once that job has finished, the same key may be enqueued again.
   */
  uniqueKey?: string;
  /** Attempts before the job is failed for good; the queue's default when omitted. */
  maxAttempts?: number;
}

export interface EnqueueResult {
  id: string;
  /** False when an unfinished job with the same uniqueKey already existed. */
  created: boolean;
}

export interface ListJobsFilter {
  status?: JobStatus;
  queue?: string;
  workspaceId?: string;
  /** Newest first; at most this many (default 100, at most 1000). */
  limit?: number;
  /** Cursor: only jobs with an id below this one (ids sort by creation time). */
  before?: string;
}

export interface RetryResult {
  /** The job as it is after the call. */
  job: Job;
  /** False when the job was not failed, or an unfinished job with its uniqueKey exists (see blockedBy). */
  retried: boolean;
  blockedBy?: string;
}

export interface JobQueueOptions {
  clock?: Clock;
  /** Default 5. */
  defaultMaxAttempts?: number;
}

/**
 * The durable job queue: work that must survive a restart lives in the `jobs` table.
 * Enqueue takes an optional executor so that a module can schedule a job in the same
 * transaction as the change that calls for it: both commit, or neither does.
 *
 * Delivery is at least once: a job whose worker dies is run again when its lease
 * expires, so handlers must be idempotent (see worker.ts).
 */
export class JobQueue {
  readonly clock: Clock;
  readonly defaultMaxAttempts: number;

  constructor(
    readonly store: Store,
    options: JobQueueOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.defaultMaxAttempts = options.defaultMaxAttempts ?? 5;
  }

  async enqueue(
    queue: string,
    payload: unknown,
    options: EnqueueOptions = {},
    executor: Kysely<Database> = this.store.db,
  ): Promise<EnqueueResult> {
    const result = await enqueueJob(executor, queue, payload, { maxAttempts: this.defaultMaxAttempts, ...options }, this.clock.now());
    // Committed already unless the caller passed its transaction: then the caller wakes the workers after its commit.
    if (executor === this.store.db && result.created) this.store.changes.notify('jobs');
    return result;
  }

  async get(id: string, executor: Kysely<Database> = this.store.db): Promise<Job | undefined> {
    const row = await executor.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toJob(row) : undefined;
  }

  /** For the admin API: jobs by status, queue or workspace, newest first. */
  async list(filter: ListJobsFilter = {}): Promise<Job[]> {
    const limit = Math.min(Math.max(1, Math.floor(filter.limit ?? 100)), 1000);
    let query = this.store.db.selectFrom('jobs').selectAll().orderBy('id', 'desc').limit(limit);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.queue) query = query.where('queue', '=', filter.queue);
    if (filter.workspaceId) query = query.where('workspace_id', '=', filter.workspaceId);
    if (filter.before) query = query.where('id', '<', filter.before);
    return (await query.execute()).map(toJob);
  }

  /** How many jobs are in each status (optionally for one queue). */
  async counts(queue?: string): Promise<Record<JobStatus, number>> {
    let query = this.store.db
      .selectFrom('jobs')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .groupBy('status');
    if (queue) query = query.where('queue', '=', queue);
    const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    for (const row of await query.execute()) {
      if ((JOB_STATUSES as readonly string[]).includes(row.status)) counts[row.status as JobStatus] = Number(row.n);
    }
    return counts;
  }

  /**
   * Run a failed job again: queued now, with a fresh set of attempts; last_error stays
   * until the next outcome. Not failed (already queued, running or succeeded): no-op.
   * Throws JOB_NOT_FOUND for an unknown id.
   */
  async retry(id: string): Promise<RetryResult> {
    const job = await this.get(id);
    if (!job) throw new AppError('JOB_NOT_FOUND', `no job ${id}`);
    if (job.status !== 'failed') return { job, retried: false };
    if (job.uniqueKey !== null) {
      const blockedBy = await this.findUnfinished(job.queue, job.uniqueKey);
      if (blockedBy) return { job, retried: false, blockedBy };
    }
    const now = this.clock.now();
    const result = await this.store.db
      .updateTable('jobs')
      .set({ status: 'queued', run_at: now, attempts: 0, finished_at: null, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    const after = (await this.get(id)) ?? job;
    return { job: after, retried: result.numUpdatedRows > 0n };
  }

  /** Delete succeeded jobs that finished before `finishedBefore`; failed jobs stay until retried or removed by hand. */
  async prune(finishedBefore: number): Promise<number> {
    const result = await this.store.db
      .deleteFrom('jobs')
      .where('status', '=', 'succeeded')
      .where('finished_at', '<', finishedBefore)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  private async findUnfinished(
    queue: string,
    uniqueKey: string,
    executor: Kysely<Database> = this.store.db,
  ): Promise<string | undefined> {
    return findUnfinishedJob(queue, uniqueKey, executor);
  }
}

/**
 * Enqueue through any executor (a transaction of the caller) without a JobQueue at hand: for code
 * that is given only a Kysely executor and the time, e.g. a use case that runs inside another
 * module's transaction. `maxAttempts` defaults to 5, like a JobQueue's.
 */
export async function enqueueJob(
  executor: Kysely<Database>,
  queue: string,
  payload: unknown,
  options: EnqueueOptions,
  now: number,
): Promise<EnqueueResult> {
  const row = jobRow(queue, payload, options, now);
  if (options.uniqueKey === undefined) {
    await executor.insertInto('jobs').values(row).execute();
    return { id: row.id, created: true };
  }
  // The partial unique index decides; ON CONFLICT DO NOTHING keeps a transaction usable
  // on PostgreSQL. If the existing job finishes between the insert and the lookup, try again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const inserted = await executor
      .insertInto('jobs')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return { id: inserted.id, created: true };
    const existing = await findUnfinishedJob(queue, options.uniqueKey, executor);
    if (existing) return { id: existing, created: false };
  }
  throw new Error(`could not enqueue ${queue}/${options.uniqueKey}: the unique key kept changing hands`);
}

/**
 * The row `enqueueJob` inserts, checked: for a batch that writes its jobs with one multi-row
 * INSERT … ON CONFLICT DO NOTHING (store/batch-writes.ts), which keeps the uniqueKey's meaning.
 */
export function jobRow(queue: string, payload: unknown, options: EnqueueOptions, now: number): Insertable<JobsTable> {
  const maxAttempts = options.maxAttempts ?? 5;
  const runAt = options.runAt ?? now;
  if (!queue) throw new AppError('VALIDATION_FAILED', 'a job needs a queue name');
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
    throw new AppError('VALIDATION_FAILED', `maxAttempts must be a positive integer, got ${maxAttempts}`);
  }
  if (!Number.isFinite(runAt)) throw new AppError('VALIDATION_FAILED', `runAt must be epoch milliseconds`);
  return {
    id: newId('job', now),
    workspace_id: options.workspaceId ?? null,
    queue,
    payload: toJson(payload),
    status: 'queued',
    run_at: Math.round(runAt),
    max_attempts: maxAttempts,
    unique_key: options.uniqueKey ?? null,
    created_at: now,
    updated_at: now,
  };
}

async function findUnfinishedJob(queue: string, uniqueKey: string, executor: Kysely<Database>): Promise<string | undefined> {
  const row = await executor
    .selectFrom('jobs')
    .select('id')
    .where('queue', '=', queue)
    .where('unique_key', '=', uniqueKey)
    .where('status', 'in', UNFINISHED)
    .executeTakeFirst();
  return row?.id;
}
