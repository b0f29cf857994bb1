/**
 * The weekly usage comparison, as durable jobs. Every Monday (an hour after 00:00 UTC, so that
 * late events of Sunday are in) a scheduling job (`followup.usage_week`) queues one job per
 * workspace (`followup.usage`, unique per workspace and week) and its own successor a week on.
 *
 * A workspace's job compares, per user id, the events of the week that just ended with the
 * week before (reads through the ingest module's `activityByIdentifier`), and for every
 * customer whose usage fell by half or more from at least MIN_PRIOR_EVENTS, appends a track
 * event `Usage Dropped` (userId, properties previous, current, dropPercent, weekStart,
 * weekEnd) to the event log through the ingest writer. The follow-up rules follow the event log
 * already: the `usage-drop` template (and any rule a workspace writes on that event, or a
 * `Usage Dropped` its own product sends) fires on it like on any tracked event, and the
 * customer's timeline shows it.
 *
 * Idempotent per workspace and week three times over: the workspace's ledger (cursor
 * `followup.usage` = the last week done), the messageId `usage-drop:<week>:<userId>` (ingest
 * deduplicates it), and the rules' own "fired once per (rule, event)".
 */
import { z } from 'zod';
import type { Clock } from '../../../platform/clock.js';
import type { Logger } from '../../../platform/logger.js';
import { readCursor, writeCursor, type JobQueue, type Store, type Worker } from '../../../store/index.js';
import { activityByIdentifier, trackDerived, type DerivedTrack } from '../../ingest/index.js';
import { isoDay, MIN_PRIOR_EVENTS, usageDrop, WEEK_MS, weekStartOf, windowsOf } from './usage.drop.js';

export const USAGE_WEEK_QUEUE = 'followup.usage_week';
export const USAGE_QUEUE = 'followup.usage';
export const USAGE_CURSOR = 'followup.usage';
export const USAGE_DROPPED = 'Usage Dropped';
/** How long after the week's end the comparison runs. */
export const USAGE_RUN_DELAY_MS = 3_600_000;
const PAGE = 1000;

const ZWeek = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const ZWeekPayload = z.object({ weekEnd: ZWeek });
const ZUsagePayload = z.object({ workspaceId: z.string().min(1), weekEnd: ZWeek });
export type UsagePayload = z.infer<typeof ZUsagePayload>;

export interface UsageDeps {
  store: Store;
  clock: Clock;
  queue: JobQueue;
  logger?: Logger | undefined;
}

export interface UsageOutcome {
  /** False when the ledger says this week was done already. */
  ran: boolean;
  /** Customers compared (those active enough the week before). */
  compared: number;
  /** `Usage Dropped` events newly appended. */
  dropped: number;
}

/** Compare one workspace's week ending at `weekEnd` (an ISO day, a Monday) with the week before. */
export async function runUsageDrops(deps: Pick<UsageDeps, 'store' | 'clock'>, workspaceId: string, weekEnd: string): Promise<UsageOutcome> {
  const { store, clock } = deps;
  if ((await readCursor(store.db, workspaceId, USAGE_CURSOR)) >= weekEnd) return { ran: false, compared: 0, dropped: 0 };
  const end = Date.parse(`${weekEnd}T00:00:00Z`);
  const { prior, current } = windowsOf(end);
  let compared = 0;
  let dropped = 0;
  let after: string | undefined;
  for (;;) {
    const page = await activityByIdentifier(store.db, workspaceId, prior.from, prior.to, { minCount: MIN_PRIOR_EVENTS, limit: PAGE, ...(after === undefined ? {} : { after }) });
    if (page.length === 0) break;
    const now = await activityByIdentifier(store.db, workspaceId, current.from, current.to, { userIds: page.map((a) => a.userId) });
    const counts = new Map(now.map((a) => [a.userId, a.count]));
    const events: DerivedTrack[] = [];
    for (const a of page) {
      const count = counts.get(a.userId) ?? 0;
      const dropPercent = usageDrop(a.count, count);
      if (dropPercent === undefined) continue;
      events.push({
        messageId: `usage-drop:${weekEnd}:${a.userId}`,
        userId: a.userId,
        event: USAGE_DROPPED,
        properties: { previous: a.count, current: count, dropPercent, weekStart: isoDay(current.from), weekEnd },
        timestamp: clock.now(),
      });
    }
    dropped += await trackDerived(store, clock, workspaceId, events);
    compared += page.length;
    after = page.at(-1)?.userId;
    if (page.length < PAGE) break;
  }
  await writeCursor(store.db, workspaceId, USAGE_CURSOR, weekEnd, clock.now());
  return { ran: true, compared, dropped };
}

async function scheduleWeek(queue: JobQueue, weekEnd: number): Promise<void> {
  await queue.enqueue(USAGE_WEEK_QUEUE, { weekEnd: isoDay(weekEnd) }, { runAt: weekEnd + USAGE_RUN_DELAY_MS, uniqueKey: `week:${isoDay(weekEnd)}`, maxAttempts: 5 });
}

/**
 * At start-up: the comparison of the week that ended last (a no-op where it was done), and so
 * the chain of weekly runs, unless a run is already queued.
 */
export async function startUsageJobs(queue: JobQueue, clock: Clock): Promise<void> {
  const counts = await queue.counts(USAGE_WEEK_QUEUE);
  if (counts.queued + counts.running > 0) return;
  const latest = weekStartOf(clock.now() - USAGE_RUN_DELAY_MS);
  await scheduleWeek(queue, latest);
}

export function registerUsageJobs(worker: Worker, deps: UsageDeps): void {
  worker.register<z.infer<typeof ZWeekPayload>>(
    USAGE_WEEK_QUEUE,
    async (job) => {
      const { queue, clock, store } = deps;
      const latest = weekStartOf(clock.now() - USAGE_RUN_DELAY_MS);
      // A week older than the last one ended (the server was down) is not worth a task now.
      if (job.payload.weekEnd === isoDay(latest)) {
        const workspaces = await store.db.selectFrom('workspaces').select('id').execute();
        for (const w of workspaces) {
          const payload: UsagePayload = { workspaceId: w.id, weekEnd: job.payload.weekEnd };
          await queue.enqueue(USAGE_QUEUE, payload, { workspaceId: w.id, uniqueKey: `${w.id}:${payload.weekEnd}`, maxAttempts: 5 });
        }
      }
      await scheduleWeek(queue, latest + WEEK_MS);
    },
    { parse: (p) => ZWeekPayload.parse(p) },
  );
  worker.register<UsagePayload>(
    USAGE_QUEUE,
    async (job) => {
      const outcome = await runUsageDrops(deps, job.payload.workspaceId, job.payload.weekEnd);
      deps.logger?.info({ ...job.payload, ...outcome }, 'weekly usage compared');
    },
    { parse: (p) => ZUsagePayload.parse(p) },
  );
}
