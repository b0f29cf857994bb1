import type { Clock } from '../platform/clock.js';
import { DEDUPE_WINDOW_MS, ensureEventPartitions, pruneDedupe, type PartitionReport } from '../modules/ingest/index.js';
import { purgeExpiredSessions } from '../modules/workspaces/index.js';
import { pruneFacts, type Store } from '../store/index.js';
import type { JobQueue, Worker } from '../store/jobs/index.js';

export const MAINTENANCE_QUEUE = 'platform.maintenance';
const HOUR_MS = 3600_000;
/** Succeeded jobs are kept this long for inspection, then pruned. */
const KEEP_SUCCEEDED_MS = 7 * 24 * HOUR_MS;
/** Outbox facts every subscriber has read are kept this long (for replay and inspection). */
const KEEP_FACTS_MS = 7 * 24 * HOUR_MS;

/**
 * Schedule the next hourly run. The unique key names the hour, so processes
 * starting together schedule it once, and a running job can schedule its successor.
 */
export async function scheduleMaintenance(queue: JobQueue, clock: Clock): Promise<void> {
  const nextHour = Math.floor(clock.now() / HOUR_MS) + 1;
  await queue.enqueue(MAINTENANCE_QUEUE, {}, { runAt: nextHour * HOUR_MS, uniqueKey: `hour:${nextHour}` });
}

export interface MaintenanceReport {
  /** PostgreSQL partitions of `events` made for this month and the next ones (none on SQLite). */
  partitions: PartitionReport;
  /** Dedupe claims older than the dedupe window, deleted. */
  dedupePruned: number;
}

/**
 * One round of housekeeping: expired sessions, partitions of `events` for the coming months,
 * dedupe claims past their window, old finished jobs. Idempotent, and safe when several
 * processes run it at once. Each step runs even when another failed; then the round fails
 * with the first error, after the others are done.
 */
export async function runMaintenance(queue: JobQueue, store: Store, clock: Clock): Promise<MaintenanceReport> {
  const now = clock.now();
  const failures: unknown[] = [];
  const step = async <T>(work: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      failures.push(error);
      return fallback;
    }
  };
  await step(() => purgeExpiredSessions({ store, clock }), undefined);
  const partitions = await step(() => ensureEventPartitions(store, now), { created: [], moved: 0 });
  const dedupePruned = await step(() => pruneDedupe(store, now - DEDUPE_WINDOW_MS), 0);
  await step(() => queue.prune(now - KEEP_SUCCEEDED_MS), undefined);
  await step(() => pruneFacts(store.db, now - KEEP_FACTS_MS), 0);
  if (failures.length > 0) throw failures[0];
  return { partitions, dedupePruned };
}

/** Hourly housekeeping (see `runMaintenance`); each run schedules the next, even when it fails. */
export function registerMaintenance(worker: Worker, queue: JobQueue, store: Store, clock: Clock): void {
  worker.register(MAINTENANCE_QUEUE, async () => {
    try {
      await runMaintenance(queue, store, clock);
    } finally {
      await scheduleMaintenance(queue, clock);
    }
  });
}
