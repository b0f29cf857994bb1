/**
 * "Follow a log as a job", shared by the feedback module's subscribers (survey triggers on the
 * event log, rule requests on the outbox): one job per queue follows every workspace for about
 * a minute, pausing when idle, then schedules its successor, so that the work is in the
 * durable queue (it survives a restart) and runs in one process at a time.
 */
import type { Clock } from '../../../platform/clock.js';
import type { JobQueue, Store, Worker } from '../../../store/index.js';

export interface FollowerDeps {
  store: Store;
  clock: Clock;
  queue: JobQueue;
}

export interface FollowOptions {
  /** How long one run follows before handing over to its successor (default a minute). */
  runMs?: number | undefined;
  /** The pause between passes when nothing was waiting. */
  idleMs?: number | undefined;
}

const RUN_MS = 60_000;
const IDLE_MS = 1_000;

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
  worker.register(name, async (_job, context) => {
    const until = performance.now() + (options.runMs ?? RUN_MS);
    const idle = options.idleMs ?? IDLE_MS;
    try {
      do {
        let more = false;
        const workspaces = await deps.store.db.selectFrom('workspaces').select('id').execute();
        for (const w of workspaces) more = (await consume(w.id)).more || more;
        if (!more && performance.now() < until) await new Promise<void>((r) => setTimeout(r, idle).unref());
      } while (performance.now() < until && !context.stopping.aborted && !context.signal.aborted);
    } finally {
      if (!context.signal.aborted) await scheduleFollower(deps.queue, deps.clock, name, 0);
    }
  });
}
