import type { Clock } from '../platform/clock.js';
import { purgeExpiredSessions } from '../modules/workspaces/index.js';
import type { Store } from '../store/index.js';
import type { JobQueue, Worker } from '../store/jobs/index.js';

export const MAINTENANCE_QUEUE = 'platform.maintenance';
const HOUR_MS = 3600_000;
/** Succeeded jobs are kept this long for inspection, then pruned. */
const KEEP_SUCCEEDED_MS = 7 * 24 * HOUR_MS;

/**
 * Schedule the next hourly run. The unique key names the hour, so processes
 * starting together schedule it once, and a running job can schedule its successor.
 */
export async function scheduleMaintenance(queue: JobQueue, clock: Clock): Promise<void> {
  const nextHour = Math.floor(clock.now() / HOUR_MS) + 1;
  await queue.enqueue(MAINTENANCE_QUEUE, {}, { runAt: nextHour * HOUR_MS, uniqueKey: `hour:${nextHour}` });
}

/** Hourly housekeeping: expired sessions and old finished jobs. Idempotent. */
export function registerMaintenance(worker: Worker, queue: JobQueue, store: Store, clock: Clock): void {
  worker.register(MAINTENANCE_QUEUE, async () => {
    const now = clock.now();
    await purgeExpiredSessions({ store, clock });
    await queue.prune(now - KEEP_SUCCEEDED_MS);
    await scheduleMaintenance(queue, clock);
  });
}
