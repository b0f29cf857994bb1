/**
 * Insight over HTTP: the at-risk list, one customer's (or account's) health, the CLV
 * distribution, the health model with its backtest, the refresh runs, refresh now (admins) and
 * the one-click follow-up (agents and up).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { JobQueue } from '../../../store/index.js';
import { principalOf, ZWorkspaceParams } from '../../workspaces/index.js';
import { ZAtRiskPage, ZAtRiskQuery, ZClvView, ZFollowupBody, ZFollowupResult, ZModelView, ZRunView, ZSubjectHealth } from './insight.schema.js';
import { atRiskList, clvView, createFollowup, modelView, runView, subjectHealth } from './insight.service.js';
import { requestRefresh } from './refresh.job.js';
import type { InsightDeps } from './refresh.service.js';
import { findRun, listRuns } from './score.store.js';

const actorId = (request: FastifyRequest): string => {
  const p = principalOf(request);
  return p.type === 'user' ? `user:${p.userId}` : `key:${p.keyId}`;
};

export const insightRoutes =
  (deps: InsightDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const read = { auth: { permission: 'insight.read' as const } };
    const tags = ['insight'];
    const base = '/api/workspaces/:workspaceId/insight';
    const queue = new JobQueue(deps.store, { clock: deps.clock });

    app.get(
      `${base}/at-risk`,
      {
        schema: {
          tags,
          summary: 'Customers or accounts by health, lowest first: at risk by default, active customers only; each with its top reasons, change since last week and open follow-up',
          params: ZWorkspaceParams,
          querystring: ZAtRiskQuery,
          response: { 200: ZAtRiskPage },
        },
        config: read,
      },
      async (request) => atRiskList(deps, request.params.workspaceId, request.query),
    );

    app.get(
      `${base}/customers/:customerId/health`,
      {
        schema: {
          tags,
          summary: 'One customer’s health score: every contribution with its reason, the change since last week’s snapshot, their account’s score, and lifetime value (P(alive), expected purchases, CLV)',
          params: ZWorkspaceParams.extend({ customerId: z.string().min(1).max(64) }),
          response: { 200: ZSubjectHealth },
        },
        config: read,
      },
      async (request) => subjectHealth(deps, request.params.workspaceId, 'customer', request.params.customerId),
    );

    app.get(
      `${base}/accounts/:accountId/health`,
      {
        schema: {
          tags,
          summary: 'One account’s health score (its customers’ signals combined), with contributions and the change since last week',
          params: ZWorkspaceParams.extend({ accountId: z.string().min(1).max(200).describe('source:externalId, e.g. crm:acc-1') }),
          response: { 200: ZSubjectHealth },
        },
        config: read,
      },
      async (request) => subjectHealth(deps, request.params.workspaceId, 'account', request.params.accountId),
    );

    app.get(
      `${base}/clv`,
      { schema: { tags, summary: 'The lifetime-value fit (BG/NBD, Gamma-Gamma per currency, with standard errors) and the CLV distribution per currency: histogram, quantiles, total', params: ZWorkspaceParams, response: { 200: ZClvView } }, config: read },
      async (request) => clvView(deps, request.params.workspaceId),
    );

    app.get(
      `${base}/model`,
      {
        schema: {
          tags,
          summary: 'The health model in use: defaults or learnt weights, why, and the time-split backtest (AUC, log-loss, Brier, calibration table) of both',
          params: ZWorkspaceParams,
          response: { 200: z.object({ model: ZModelView.nullable() }) },
        },
        config: read,
      },
      async (request) => ({ model: await modelView(deps, request.params.workspaceId) }),
    );

    app.get(
      `${base}/runs`,
      {
        schema: {
          tags,
          summary: 'Refresh runs, newest first: started, finished, duration, status, error, counts and model metrics',
          params: ZWorkspaceParams,
          querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20), before: z.string().max(64).optional() }),
          response: { 200: z.object({ runs: z.array(ZRunView) }) },
        },
        config: read,
      },
      async (request) => ({ runs: (await listRuns(deps.store.db, request.params.workspaceId, request.query.limit, request.query.before)).map(runView) }),
    );

    app.post(
      `${base}/refresh`,
      {
        schema: {
          tags,
          summary: 'Refresh now: fit CLV, learn or choose the health model, score everyone, snapshot the week (a job; a second call while it waits returns the same run)',
          params: ZWorkspaceParams,
          response: { 202: z.object({ runId: z.string(), created: z.boolean(), run: ZRunView.nullable() }) },
        },
        config: { auth: { permission: 'insight.manage' as const } },
      },
      async (request, reply) => {
        const ws = request.params.workspaceId;
        const out = await requestRefresh(queue, ws, actorId(request));
        const run = await findRun(deps.store.db, ws, out.runId);
        return reply.code(202).send({ ...out, run: run ? runView(run) : null });
      },
    );

    app.post(
      `${base}/followups`,
      {
        schema: {
          tags,
          summary: 'Create a follow-up task for an at-risk customer or account: titled with the name and health, owned by the account owner (else the churn_risk policy’s team), the reasons in its history; while it is open a second call returns it',
          params: ZWorkspaceParams,
          body: ZFollowupBody,
          response: { 200: ZFollowupResult, 201: ZFollowupResult },
        },
        config: { auth: { permission: 'followups.work' as const } },
      },
      async (request, reply) => {
        const out = await createFollowup(deps, queue, request.params.workspaceId, request.body.kind, request.body.id, actorId(request));
        return reply.code(out.created ? 201 : 200).send(out);
      },
    );
  };
