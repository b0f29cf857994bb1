/**
 * The refresh as durable jobs (queue `insight.refresh`): every workspace daily at the
 * settings' hour (03:00 UTC by default), and now on request (`POST …/insight/refresh`). The
 * run's id is its job's id, so a job retried after a crash resumes its own run from where it
 * stopped; a run is done once. One daily job per workspace and day, one pending "now" job per
 * workspace: a second click returns the job already waiting.
 */
import { z } from 'zod';
import type { JobQueue, Worker } from '../../../store/index.js';
import { DAY_MS } from './history.js';
import { readInsightSettings, runRefresh, type InsightDeps } from './refresh.service.js';

export const REFRESH_QUEUE = 'insight.refresh';

const ZRefreshPayload = z.object({ workspaceId: z.string().min(1), trigger: z.enum(['schedule', 'manual']), requestedBy: z.string().nullable().optional() });
export type RefreshPayload = z.infer<typeof ZRefreshPayload>;

/** The next time of day `hour` (UTC) after `now`. */
export function nextRefreshAt(now: number, hourUtc: number): number {
  const day = Math.floor(now / DAY_MS) * DAY_MS;
  const today = day + hourUtc * 3_600_000;
  return today > now ? today : today + DAY_MS;
}

export async function scheduleRefresh(queue: JobQueue, workspaceId: string, runAt: number): Promise<{ id: string; created: boolean }> {
  const payload: RefreshPayload = { workspaceId, trigger: 'schedule' };
  return queue.enqueue(REFRESH_QUEUE, payload, { workspaceId, runAt, uniqueKey: `${workspaceId}:day:${Math.floor(runAt / DAY_MS)}`, maxAttempts: 5 });
}

/** Refresh now (an admin's click): the pending one if a click already queued it. */
export async function requestRefresh(queue: JobQueue, workspaceId: string, requestedBy: string | null): Promise<{ runId: string; created: boolean }> {
  const payload: RefreshPayload = { workspaceId, trigger: 'manual', requestedBy };
  const job = await queue.enqueue(REFRESH_QUEUE, payload, { workspaceId, uniqueKey: `${workspaceId}:now`, maxAttempts: 5 });
  return { runId: job.id, created: job.created };
}

export function registerInsightJobs(worker: Worker, queue: JobQueue, deps: InsightDeps): void {
  worker.register<RefreshPayload>(
    REFRESH_QUEUE,
    async (job, context) => {
      const { workspaceId, trigger } = job.payload;
      const signal = AbortSignal.any([context.signal, context.stopping]);
      // The next day's run first: the chain goes on even if this one fails for good.
      if (trigger === 'schedule') {
        const settings = await readInsightSettings(deps, workspaceId);
        await scheduleRefresh(queue, workspaceId, nextRefreshAt(deps.clock.now(), settings.refreshHourUtc));
      }
      await runRefresh(deps, workspaceId, job.id, { trigger, requestedBy: job.payload.requestedBy ?? null, signal });
    },
    // Minutes on a large workspace: a slot of its own, so short jobs never wait behind it.
    { parse: (p) => ZRefreshPayload.parse(p), longRunning: true },
  );
}

/**
 * At start-up: every workspace gets its daily refresh scheduled (a no-op where one is); a
 * workspace that has customers but has never been refreshed gets one in a minute, so a new
 * install (or the demo) has scores the same day.
 */
export async function startInsightJobs(queue: JobQueue, deps: InsightDeps): Promise<void> {
  const workspaces = await deps.store.db.selectFrom('workspaces').select('id').execute();
  const now = deps.clock.now();
  for (const w of workspaces) {
    const settings = await readInsightSettings(deps, w.id);
    const ran = await deps.store.db.selectFrom('insight_runs').select('id').where('workspace_id', '=', w.id).limit(1).executeTakeFirst();
    const hasCustomers = await deps.store.db.selectFrom('profiles').select('id').where('workspace_id', '=', w.id).limit(1).executeTakeFirst();
    if (!ran && hasCustomers) await scheduleRefresh(queue, w.id, now + 60_000);
    else await scheduleRefresh(queue, w.id, nextRefreshAt(now, settings.refreshHourUtc));
  }
}
