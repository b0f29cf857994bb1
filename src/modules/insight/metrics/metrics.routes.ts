/** The insight metrics over HTTP (permission `insight.read`: viewers and above). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZWorkspaceParams } from '../../workspaces/index.js';
import { cohortsReport, customersReport } from './customers.service.js';
import { home } from './home.service.js';
import { ZCohortMatrix, ZCohortsQuery, ZCustomersQuery, ZCustomersReport, ZHome, ZHomeQuery, ZSatisfactionQuery, ZSatisfactionReport } from './metrics.schema.js';
import { satisfactionReport, type MetricsDeps } from './satisfaction.service.js';

export const metricsRoutes =
  (deps: MetricsDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const config = { auth: { permission: 'insight.read' as const } };
    const tags = ['insight metrics'];
    const base = '/api/workspaces/:workspaceId/insight';

    app.get(
      `${base}/home`,
      {
        schema: {
          tags,
          summary: 'The home dashboard in one read: NPS, CSAT and CES for the period and the one before (n, 95 % intervals, weekly trend), active customers, logo churn, GRR and NRR with a monthly trend, the last 12 retention cohorts, and follow-up SLA performance',
          params: ZWorkspaceParams,
          querystring: ZHomeQuery,
          response: { 200: ZHome },
        },
        config,
      },
      async (request) => home(deps, request.params.workspaceId, request.query),
    );

    app.get(
      `${base}/satisfaction`,
      {
        schema: {
          tags,
          summary: 'NPS, CSAT or CES per day, week or month, or per survey, channel, team or agent, each with n, the mean and 95 % intervals',
          params: ZWorkspaceParams,
          querystring: ZSatisfactionQuery,
          response: { 200: ZSatisfactionReport },
        },
        config,
      },
      async (request) => satisfactionReport(deps, request.params.workspaceId, request.query),
    );

    app.get(
      `${base}/customers`,
      {
        schema: {
          tags,
          summary: 'Active customers, new customers, logo churn, and gross and net revenue retention per currency over the whole months of a range, with a monthly trend',
          params: ZWorkspaceParams,
          querystring: ZCustomersQuery,
          response: { 200: ZCustomersReport },
        },
        config,
      },
      async (request) => customersReport(deps, request.params.workspaceId, request.query),
    );

    app.get(
      `${base}/cohorts`,
      {
        schema: {
          tags,
          summary: 'Monthly retention cohorts (month of first purchase or subscription): the share of each cohort still active k months later',
          params: ZWorkspaceParams,
          querystring: ZCohortsQuery,
          response: { 200: ZCohortMatrix },
        },
        config,
      },
      async (request) => cohortsReport(deps, request.params.workspaceId, request.query),
    );
  };
