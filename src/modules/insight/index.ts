/**
 * The insight module's public surface: lifetime value and health scores wired to a workspace's
 * data (scores/), on the pure maths of clv/ and health/; the refresh job; the HTTP routes.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { insightRoutes } from './scores/insight.routes.js';
import type { InsightDeps } from './scores/refresh.service.js';

export type { InsightDeps, RunState, HealthModelBody, ClvModelBody } from './scores/refresh.service.js';
export { runRefresh, readInsightSettings, weekOf, PHASES } from './scores/refresh.service.js';
export { registerInsightJobs, startInsightJobs, requestRefresh, scheduleRefresh, nextRefreshAt, REFRESH_QUEUE } from './scores/refresh.job.js';
export { ZInsightSettings, DEFAULT_INSIGHT_SETTINGS, type InsightSettings, type CustomerHistory } from './scores/history.js';
export { CHURN_DEFINITION } from './scores/insight.service.js';

export const insightModule =
  (deps: InsightDeps): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(insightRoutes(deps));
  };
