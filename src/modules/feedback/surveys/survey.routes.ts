/** Surveys over HTTP: define, open and close them, hand out links; the feedback settings. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, appendAudit, principalOf, ZWorkspaceParams } from '../../workspaces/index.js';
import { createLink } from '../deliveries/links.js';
import type { FeedbackDeps } from '../deps.js';
import type { Answering } from '../responses/answering.js';
import { readFeedbackSettings, writeFeedbackSettings, ZFeedbackSettings } from '../settings.js';
import { ZRespondent, ZSurvey, ZSurveyInput, ZSurveyParams, ZSurveyPatch, SURVEY_STATUSES } from './survey.schema.js';
import { changeSurvey, createSurvey, getSurvey } from './survey.service.js';
import { listSurveyRows, surveyView } from './survey.store.js';

const ZLinkRequest = z.object({
  respondent: ZRespondent,
  channel: z.enum(['link', 'api']).default('link'),
  lifetimeDays: z.number().int().min(1).max(365).optional(),
});
const ZLink = z.object({ deliveryId: z.string(), token: z.string(), url: z.string(), expiresAt: z.string() });

export const surveyRoutes =
  (deps: FeedbackDeps, answering: Answering): FastifyPluginAsyncZod =>
  async (app) => {
    const read = { auth: { permission: 'feedback.read' as const } };
    const manage = { auth: { permission: 'feedback.manage' as const } };
    const tags = ['feedback'];

    app.get(
      '/api/workspaces/:workspaceId/surveys',
      {
        schema: {
          tags,
          summary: 'Surveys, most recently changed first',
          params: ZWorkspaceParams,
          querystring: z.object({ status: z.enum(SURVEY_STATUSES).optional() }),
          response: { 200: z.object({ surveys: z.array(ZSurvey) }) },
        },
        config: read,
      },
      async (request) => ({ surveys: (await listSurveyRows(deps.store.db, request.params.workspaceId, request.query.status)).map(surveyView) }),
    );

    app.post(
      '/api/workspaces/:workspaceId/surveys',
      {
        schema: { tags, summary: 'Create a survey (as a draft)', params: ZWorkspaceParams, body: ZSurveyInput, response: { 201: ZSurvey } },
        config: manage,
      },
      async (request, reply) => reply.code(201).send(surveyView(await createSurvey(deps, request.params.workspaceId, request.body, actorOf(principalOf(request))))),
    );

    app.get(
      '/api/workspaces/:workspaceId/surveys/:surveyId',
      { schema: { tags, summary: 'One survey', params: ZSurveyParams, response: { 200: ZSurvey } }, config: read },
      async (request) => surveyView(await getSurvey(deps, request.params.workspaceId, request.params.surveyId)),
    );

    app.patch(
      '/api/workspaces/:workspaceId/surveys/:surveyId',
      {
        schema: {
          tags,
          summary: 'Change a survey: its name, its definition, or its status (draft → active → closed → active)',
          params: ZSurveyParams,
          body: ZSurveyPatch,
          response: { 200: ZSurvey },
        },
        config: manage,
      },
      async (request) => surveyView(await changeSurvey(deps, request.params.workspaceId, request.params.surveyId, request.body, actorOf(principalOf(request)))),
    );

    app.post(
      '/api/workspaces/:workspaceId/surveys/:surveyId/links',
      {
        schema: {
          tags,
          summary: 'A signed link for one respondent (a user id, e-mail or anonymous id); answering it again edits the answer',
          params: ZSurveyParams,
          body: ZLinkRequest,
          response: { 201: ZLink },
        },
        config: manage,
      },
      async (request, reply) => {
        const survey = await getSurvey(deps, request.params.workspaceId, request.params.surveyId);
        const link = await createLink(deps, answering.keys, survey, request.body.respondent, { channel: request.body.channel, lifetimeDays: request.body.lifetimeDays });
        return reply.code(201).send(link);
      },
    );

    app.get(
      '/api/workspaces/:workspaceId/feedback/settings',
      { schema: { tags, summary: 'Feedback settings: contact limits, quiet hours, link lifetime, brand', params: ZWorkspaceParams, response: { 200: ZFeedbackSettings } }, config: read },
      async (request) => readFeedbackSettings(deps.store.db, request.params.workspaceId),
    );

    app.put(
      '/api/workspaces/:workspaceId/feedback/settings',
      {
        schema: { tags, summary: 'Change the feedback settings', params: ZWorkspaceParams, body: ZFeedbackSettings, response: { 200: ZFeedbackSettings } },
        config: { auth: { permission: 'workspace.update' as const } },
      },
      async (request) => {
        const { workspaceId } = request.params;
        const now = deps.clock.now();
        await deps.store.db.transaction().execute(async (trx) => {
          await writeFeedbackSettings(trx, workspaceId, request.body, now);
          await appendAudit(trx, { workspaceId, actor: actorOf(principalOf(request)), action: 'feedback.settings', target: { type: 'workspace', id: workspaceId }, details: request.body, at: now });
        });
        return request.body;
      },
    );
  };
