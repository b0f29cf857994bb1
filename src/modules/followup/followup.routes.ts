/** Rules, SLA policies, teams and tasks over HTTP. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FollowupDeps } from './deps.js';
import { followupReportRoutes } from './reports/report.routes.js';
import { ruleRoutes } from './rules/rule.routes.js';
import { taskRoutes } from './tasks/task.routes.js';
import { teamRoutes } from './teams/team.routes.js';

export const followupRoutes =
  (deps: FollowupDeps): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(teamRoutes(deps));
    await app.register(ruleRoutes(deps));
    await app.register(taskRoutes(deps));
    await app.register(followupReportRoutes(deps));
  };
