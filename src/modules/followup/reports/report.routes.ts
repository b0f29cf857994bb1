/** SLA met %, speed to first contact and their trend over HTTP (permission `followups.read`). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZWorkspaceParams } from '../../workspaces/index.js';
import type { FollowupDeps } from '../deps.js';
import { ZReportQuery, ZSlaReport, ZSpeedReport, ZTrendQuery, ZTrendReport } from './report.schema.js';
import { slaReport, speedReport, trendReport } from './report.service.js';

export const followupReportRoutes =
  (deps: FollowupDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const config = { auth: { permission: 'followups.read' as const } };
    const tags = ['follow-up reports'];
    const base = '/api/workspaces/:workspaceId/followups/reports';

    app.get(
      `${base}/sla`,
      {
        schema: {
          tags,
          summary:
            'SLA met % of the tasks started in a range (default: the last 30 days), overall and by policy, team and agent: first contact and resolution. n counts the clocks that stopped or reached their deadline; clocks still running and not yet due are excluded (pending)',
          params: ZWorkspaceParams,
          querystring: ZReportQuery,
          response: { 200: ZSlaReport },
        },
        config,
      },
      async (request) => slaReport(deps, request.params.workspaceId, request.query),
    );

    app.get(
      `${base}/speed`,
      {
        schema: {
          tags,
          summary:
            'Time to first contact of the tasks started in a range: median and p90 (elapsed, and working time on the SLA calendar), overall and by kind, team and agent, and the speed-to-lead distribution (< 5 min, 5–60 min, 1–24 h, > 24 h, not yet contacted)',
          params: ZWorkspaceParams,
          querystring: ZReportQuery,
          response: { 200: ZSpeedReport },
        },
        config,
      },
      async (request) => speedReport(deps, request.params.workspaceId, request.query),
    );

    app.get(
      `${base}/trend`,
      {
        schema: {
          tags,
          summary: 'Per day, week (from Monday) or month (UTC) of the tasks’ start: first-contact SLA met % with n, and the median time to first contact',
          params: ZWorkspaceParams,
          querystring: ZTrendQuery,
          response: { 200: ZTrendReport },
        },
        config,
      },
      async (request) => trendReport(deps, request.params.workspaceId, request.query),
    );
  };
