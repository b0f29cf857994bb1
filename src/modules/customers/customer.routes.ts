/** The customer 360 and the identity review queue over HTTP. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, appendAudit, principalOf, ZWorkspaceParams } from '../workspaces/index.js';
import { customerTimeline, customerView, listCustomers, searchCustomers } from './customer.reader.js';
import {
  ZCustomerListQuery,
  ZCustomerParams,
  ZCustomerSummary,
  ZCustomerView,
  ZManualMerge,
  ZMergeParams,
  ZSuggestionListQuery,
  ZSuggestionParams,
  ZSuggestionView,
  ZTimelinePage,
  ZTimelineQuery,
} from './customer.schema.js';
import type { CustomerDeps } from './deps.js';
import { JobQueue } from '../../store/index.js';
import { ZIdentitySettings, readIdentitySettings, writeIdentitySettings } from './identity.settings.js';
import { DEFAULT_MODEL, ZMatchModel } from './matching/index.js';
import { scheduleTraining } from './model.job.js';
import { readModel } from './model.service.js';
import { decide_suggestion, mergeManually, reviewQueue, undoMerge } from './review.service.js';

const ZModelView = z.object({ trained: z.boolean(), trainedAt: z.string().nullable(), records: z.number(), model: ZMatchModel });

export const customerRoutes =
  (deps: CustomerDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const read = { auth: { permission: 'customers.read' as const } };
    const write = { auth: { permission: 'customers.merge' as const } };
    const tags = ['customers'];

    app.get(
      '/api/workspaces/:workspaceId/customers',
      {
        schema: {
          tags,
          summary: 'Customers, most recently changed first, or those matching a search',
          params: ZWorkspaceParams,
          querystring: ZCustomerListQuery,
          response: { 200: z.object({ customers: z.array(ZCustomerSummary), nextCursor: z.string().nullable() }) },
        },
        config: read,
      },
      async (request) => {
        const { workspaceId } = request.params;
        const { search, limit, before } = request.query;
        return search ? searchCustomers(deps, workspaceId, search, limit, before) : listCustomers(deps, workspaceId, limit, before);
      },
    );

    app.get(
      '/api/workspaces/:workspaceId/customers/settings',
      {
        schema: { tags, summary: 'Identity-resolution settings: thresholds, the shared-identifier limit, the userId silo', params: ZWorkspaceParams, response: { 200: ZIdentitySettings } },
        config: read,
      },
      async (request) => readIdentitySettings(deps.store.db, request.params.workspaceId),
    );

    app.put(
      '/api/workspaces/:workspaceId/customers/settings',
      {
        schema: {
          tags,
          summary: 'Change identity-resolution settings (they apply to what arrives from now on)',
          params: ZWorkspaceParams,
          body: ZIdentitySettings,
          response: { 200: ZIdentitySettings },
        },
        config: { auth: { permission: 'workspace.update' as const } },
      },
      async (request) => {
        const { workspaceId } = request.params;
        const now = deps.clock.now();
        await deps.store.db.transaction().execute(async (trx) => {
          await writeIdentitySettings(trx, workspaceId, request.body, now);
          await appendAudit(trx, { workspaceId, actor: actorOf(principalOf(request)), action: 'customer.settings', target: { type: 'workspace', id: workspaceId }, details: request.body, at: now });
        });
        return request.body;
      },
    );

    app.get(
      '/api/workspaces/:workspaceId/customers/model',
      {
        schema: {
          tags,
          summary: 'The matching model: m and u per comparison level, the prior, and when it was estimated from this workspace’s people',
          params: ZWorkspaceParams,
          response: { 200: ZModelView },
        },
        config: read,
      },
      async (request) => {
        const stored = await readModel(deps.store.db, request.params.workspaceId);
        return stored
          ? { trained: true, trainedAt: new Date(stored.trainedAt).toISOString(), records: stored.records, model: stored.model }
          : { trained: false, trainedAt: null, records: 0, model: DEFAULT_MODEL };
      },
    );

    app.post(
      '/api/workspaces/:workspaceId/customers/model/train',
      {
        schema: {
          tags,
          summary: 'Estimate the matching model from this workspace’s people now (a background job)',
          params: ZWorkspaceParams,
          response: { 202: z.object({ jobId: z.string() }) },
        },
        config: { auth: { permission: 'workspace.update' as const } },
      },
      async (request, reply) => {
        const job = await scheduleTraining(new JobQueue(deps.store, { clock: deps.clock }), deps.clock, request.params.workspaceId, deps.clock.now());
        return reply.code(202).send({ jobId: job.id });
      },
    );

    app.get(
      '/api/workspaces/:workspaceId/customers/suggestions',
      {
        schema: {
          tags,
          summary: 'The merge-review queue: pairs that may be one person, with the evidence',
          params: ZWorkspaceParams,
          querystring: ZSuggestionListQuery,
          response: { 200: z.object({ suggestions: z.array(ZSuggestionView), nextCursor: z.string().nullable() }) },
        },
        config: read,
      },
      async (request) => reviewQueue(deps, request.params.workspaceId, request.query.status, request.query.limit, request.query.before),
    );

    for (const decision of ['merge', 'keep-apart'] as const) {
      app.post(
        `/api/workspaces/:workspaceId/customers/suggestions/:suggestionId/${decision}`,
        {
          schema: {
            tags,
            summary: decision === 'merge' ? 'Accept a suggestion: merge the two customers' : 'Reject a suggestion: keep the two apart for good',
            params: ZSuggestionParams,
            response: { 200: z.object({ suggestion: ZSuggestionView }) },
          },
          config: write,
        },
        async (request) => ({
          suggestion: await decide_suggestion(deps, request.params.workspaceId, actorOf(principalOf(request)), request.params.suggestionId, decision),
        }),
      );
    }

    app.post(
      '/api/workspaces/:workspaceId/customers/merges/:mergeId/undo',
      {
        schema: {
          tags,
          summary: 'Unmerge: restore the absorbed customer as it was, and keep the two apart',
          params: ZMergeParams,
          response: { 200: z.object({ survivorId: z.string(), restoredId: z.string() }) },
        },
        config: write,
      },
      async (request) => undoMerge(deps, request.params.workspaceId, actorOf(principalOf(request)), request.params.mergeId),
    );

    app.get(
      '/api/workspaces/:workspaceId/customers/:customerId',
      {
        schema: {
          tags,
          summary: 'One customer: traits with their sources, identities, accounts, merge history and the first page of the timeline',
          params: ZCustomerParams,
          response: { 200: ZCustomerView },
        },
        config: read,
      },
      async (request) => customerView(deps, request.params.workspaceId, request.params.customerId),
    );

    app.get(
      '/api/workspaces/:workspaceId/customers/:customerId/timeline',
      {
        schema: {
          tags,
          summary: 'A customer’s timeline across events, orders, tickets, feedback and other records, newest first',
          params: ZCustomerParams,
          querystring: ZTimelineQuery,
          response: { 200: ZTimelinePage },
        },
        config: read,
      },
      async (request) => customerTimeline(deps, request.params.workspaceId, request.params.customerId, request.query.limit, request.query.before),
    );

    app.post(
      '/api/workspaces/:workspaceId/customers/:customerId/merge',
      {
        schema: {
          tags,
          summary: 'Merge another customer into this one by hand',
          params: ZCustomerParams,
          body: ZManualMerge,
          response: { 200: z.object({ mergeId: z.string(), customerId: z.string() }) },
        },
        config: write,
      },
      async (request) =>
        mergeManually(deps, request.params.workspaceId, actorOf(principalOf(request)), request.params.customerId, request.body.with, request.body.note),
    );
  };
