/**
 * The insight module's public surface: metrics everyone sees (satisfaction, customers, revenue
 * retention, cohorts, SLA) from rollups kept as data arrives (metrics/), lifetime value and
 * health scores wired to a workspace's data (scores/, on the pure maths of clv/ and health/),
 * their background jobs and the HTTP routes.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { JobQueue, Worker } from '../../store/index.js';
import { metricsRoutes, registerBackfill, registerRollups, startBackfill, startRollups } from './metrics/index.js';
import { insightRoutes } from './scores/insight.routes.js';
import { registerInsightJobs as registerRefreshJobs, startInsightJobs as startRefreshJobs } from './scores/refresh.job.js';
import type { InsightDeps } from './scores/refresh.service.js';

export type { InsightDeps, RunState, HealthModelBody, ClvModelBody } from './scores/refresh.service.js';
export { runRefresh, readInsightSettings, weekOf, PHASES } from './scores/refresh.service.js';
export { requestRefresh, scheduleRefresh, nextRefreshAt, REFRESH_QUEUE } from './scores/refresh.job.js';
export { registerRefreshJobs, startRefreshJobs };
export { ZInsightSettings, DEFAULT_INSIGHT_SETTINGS, type InsightSettings, type CustomerHistory } from './scores/history.js';
export { CHURN_DEFINITION } from './scores/insight.service.js';
export { consumeRollups, rebuildRollups, recordAttributions, registerBackfill, startBackfill, ROLLUPS_QUEUE, BACKFILL_QUEUE, BACKFILL_SETTING, type ExplicitAttribution, type RebuildReport } from './metrics/index.js';

export const insightModule =
  (deps: InsightDeps): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(metricsRoutes(deps));
    await app.register(insightRoutes(deps));
  };

/** Every background job of insight: the rollup follower, the first run's backfill, the daily refresh of scores and CLV. */
export function registerInsightJobs(worker: Worker, queue: JobQueue, deps: InsightDeps): void {
  registerRollups(worker, queue, deps);
  registerBackfill(worker, deps);
  registerRefreshJobs(worker, queue, deps);
}

export async function startInsightJobs(queue: JobQueue, deps: InsightDeps): Promise<void> {
  await startRollups(queue, deps.clock);
  await startBackfill(queue, deps.store);
  await startRefreshJobs(queue, deps);
}
