import type { Selectable } from 'kysely';
import type { JobsTable } from '../schema.js';
import { fromJson } from '../dialect/types.js';

/**
 * A job's life: `queued` (waiting for run_at) → `running` (claimed, under a lease)
 * → `succeeded`, or back to `queued` with a later run_at after a failed attempt,
 * or `failed` once max_attempts is spent (kept, with last_error, until retried).
 */
export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** Statuses the partial unique index on (queue, unique_key) covers. */
export const UNFINISHED: readonly JobStatus[] = ['queued', 'running'];

export interface Job<P = unknown> {
  id: string;
  queue: string;
  workspaceId: string | null;
  payload: P;
  status: JobStatus;
  /** Epoch ms at which the job is due (for a queued job: the next attempt). */
  runAt: number;
  /** Attempts started so far, the current one included while running. */
  attempts: number;
  maxAttempts: number;
  uniqueKey: string | null;
  lockedBy: string | null;
  lockedUntil: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export type JobRow = Selectable<JobsTable>;

export function toJob(row: JobRow): Job {
  return {
    id: row.id,
    queue: row.queue,
    workspaceId: row.workspace_id,
    payload: fromJson(row.payload),
    status: row.status as JobStatus,
    runAt: Number(row.run_at),
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    uniqueKey: row.unique_key,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until === null ? null : Number(row.locked_until),
    lastError: row.last_error,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
  };
}

/** Longest last_error kept; a stack trace is for the log, the row keeps the gist. */
export const MAX_ERROR_LENGTH = 2000;

export function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
