/** Responses, trends, themes, the KPI summary and the CSV export over HTTP (permission `feedback.read`). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZWorkspaceParams } from '../../workspaces/index.js';
import type { FeedbackDeps } from '../deps.js';
import { findSurvey } from '../surveys/survey.store.js';
import { ZRangeQuery, ZResponseFilterQuery, ZResponseListQuery, ZResponsePage, ZSummaryReport, ZThemes, ZTrend, ZTrendQuery } from './report.schema.js';
import { csvFileName, listResponses, responsesCsv, summary, themes, trend } from './report.service.js';

export const reportRoutes =
  (deps: FeedbackDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const config = { auth: { permission: 'feedback.read' as const } };
    const tags = ['feedback reports'];
    const base = '/api/workspaces/:workspaceId/feedback';

    app.get(
      `${base}/responses`,
      {
        schema: {
          tags,
          summary: 'Responses, newest first, filtered by survey, dates, segment (customer traits), score, category, theme and sentiment; long comments cut to 2 000 characters',
          params: ZWorkspaceParams,
          querystring: ZResponseListQuery,
          response: { 200: ZResponsePage },
        },
        config,
      },
      async (request) => listResponses(deps, request.params.workspaceId, request.query),
    );

    app.get(
      `${base}/responses.csv`,
      {
        schema: {
          tags,
          summary: 'Every response matching the same filters as CSV, comments whole; text cells that a spreadsheet would run as a formula start with an apostrophe',
          params: ZWorkspaceParams,
          querystring: ZResponseFilterQuery,
        },
        config,
      },
      async (request, reply) => {
        const { workspaceId } = request.params;
        const survey = request.query.survey === undefined ? undefined : await findSurvey(deps.store.db, workspaceId, request.query.survey);
        const name = csvFileName(survey?.name, deps.clock.now());
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}"`)
          .header('cache-control', 'no-store')
          .send(responsesCsv(deps, workspaceId, request.query));
      },
    );

    app.get(
      `${base}/trends`,
      {
        schema: {
          tags,
          summary: 'NPS, CSAT or CES per day, week (from Monday) or month (UTC), each with n, the mean and a 95 % interval',
          params: ZWorkspaceParams,
          querystring: ZTrendQuery,
          response: { 200: ZTrend },
        },
        config,
      },
      async (request) => trend(deps, request.params.workspaceId, request.query),
    );

    app.get(
      `${base}/themes`,
      {
        schema: {
          tags,
          summary: 'Themes of the comments in a range (default: the last 30 days), most frequent first, against the equal-length range before, with example quotes',
          params: ZWorkspaceParams,
          querystring: ZRangeQuery,
          response: { 200: ZThemes },
        },
        config,
      },
      async (request) => themes(deps, request.params.workspaceId, request.query),
    );

    app.get(
      `${base}/summary`,
      {
        schema: {
          tags,
          summary: 'NPS, CSAT and CES over a range (default: the last 30 days), each with n, the mean and a 95 % interval',
          params: ZWorkspaceParams,
          querystring: ZRangeQuery,
          response: { 200: ZSummaryReport },
        },
        config,
      },
      async (request) => summary(deps, request.params.workspaceId, request.query),
    );
  };
