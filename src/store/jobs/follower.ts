/**
 * "Follow a log as a job", for every subscriber of the event log or the outbox (identity
 * resolution, follow-up rules, survey triggers and requests): one job per queue follows every
 * workspace for about a minute, then schedules its successor, so that the work is in the
 * durable queue (it survives a restart) and runs in one process at a time. When nothing is
 * waiting it sleeps until a commit in this process says the log grew (store.changes), or
 * `idleMs` for commits made by other processes. The queue is long-running: it has a worker
 * slot of its own and never holds up short jobs.
 */
import type { Clock } from '../../platform/clock.js';
import type { ChangeTopic } from '../changes.js';
import type { Store } from '../database.js';
import type { JobQueue } from './queue.js';
import type { Worker } from './worker.js';

export interface FollowerDeps {
  store: Store;
  clock: Clock;
  queue: JobQueue;
}

export interface FollowOptions {
  /** How long one run follows before handing over to its successor (default a minute). */
  runMs?: number | undefined;
  /** The longest pause between passes when nothing was waiting (default a second). */
  idleMs?: number | undefined;
  /** The logs whose commits end a pause early (default both). */
  wakeOn?: readonly ChangeTopic[] | undefined;
  /**
   * After a wake-up, wait this long before reading (default 50 ms), so that the commits of a
   * busy moment are read in one pass and applied in one transaction, not one each.
   */
  gatherMs?: number | undefined;
}

const RUN_MS = 60_000;
const IDLE_MS = 1_000;
const GATHER_MS = 50;

/** Queue a run of `name` after `delayMs` (one per second at most: the unique key). */
export async function scheduleFollower(queue: JobQueue, clock: Clock, name: string, delayMs: number): Promise<void> {
  const runAt = clock.now() + delayMs;
  await queue.enqueue(name, {}, { runAt, uniqueKey: `at:${Math.floor(runAt / 1000)}`, maxAttempts: 3 });
}

/** At start-up: start following unless a run is already queued or running. */
export async function startFollower(queue: JobQueue, clock: Clock, name: string): Promise<void> {
  const counts = await queue.counts(name);
  if (counts.queued + counts.running === 0) await scheduleFollower(queue, clock, name, 0);
}

/**
 * Register the job `name`: each pass hands every workspace to `consume` (which reads what is
 * waiting within its own budget and says whether more is left), until the run's time is up.
 */
export function registerFollower(
  worker: Worker,
  deps: FollowerDeps,
  name: string,
  consume: (workspaceId: string) => Promise<{ more: boolean }>,
  options: FollowOptions = {},
): void {
  const wakeOn = options.wakeOn ?? ['events', 'outbox'];
  worker.register(
    name,
    async (_job, context) => {
      const until = performance.now() + (options.runMs ?? RUN_MS);
      const idle = options.idleMs ?? IDLE_MS;
      const gather = options.gatherMs ?? GATHER_MS;
      try {
        do {
          let more = false;
          const workspaces = await deps.store.db.selectFrom('workspaces').select('id').execute();
          for (const w of workspaces) more = (await consume(w.id)).more || more;
          const left = until - performance.now();
          if (!more && left > 0) {
            const woken = await deps.store.changes.wait(wakeOn, Math.min(idle, left), context.stopping);
            if (woken && gather > 0) await new Promise<void>((r) => setTimeout(r, gather).unref());
          }
        } while (performance.now() < until && !context.stopping.aborted && !context.signal.aborted);
      } finally {
        if (!context.signal.aborted) await scheduleFollower(deps.queue, deps.clock, name, 0);
      }
    },
    { longRunning: true },
  );
}
