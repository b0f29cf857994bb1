/** The insight module: metrics everyone sees (satisfaction, customers, revenue retention, cohorts, SLA), CLV models and the health score. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Clock } from '../../platform/clock.js';
import type { JobQueue, Store, Worker } from '../../store/index.js';
import { metricsRoutes, registerBackfill, registerRollups, startBackfill, startRollups } from './metrics/index.js';

export { consumeRollups, rebuildRollups, recordAttributions, registerBackfill, startBackfill, ROLLUPS_QUEUE, BACKFILL_QUEUE, BACKFILL_SETTING, type ExplicitAttribution, type RebuildReport } from './metrics/index.js';

export interface InsightDeps {
  store: Store;
  clock: Clock;
}

export const insightModule =
  (deps: InsightDeps): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(metricsRoutes(deps));
  };

/** The rollup follower and the first run's backfill. */
export function registerInsightJobs(worker: Worker, queue: JobQueue, deps: InsightDeps): void {
  registerRollups(worker, queue, deps);
  registerBackfill(worker, deps);
}

export async function startInsightJobs(queue: JobQueue, deps: InsightDeps): Promise<void> {
  await startRollups(queue, deps.clock);
  await startBackfill(queue, deps.store);
}
