/**
 * The public survey API, used by the hosted page, the widget and e-mail clicks. No login:
 * the signed token is the authority. Limited per IP (here) and per token (KeyThrottle), and
 * open to any origin (the widget runs on the company's own site; nothing uses cookies).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../../platform/errors.js';
import { customerOfIdentifier } from '../../customers/index.js';
import type { FeedbackDeps } from '../deps.js';
import { MAX_TEXT_CHARS } from '../responses/answers.js';
import type { Answering } from '../responses/answering.js';
import { readFeedbackSettings } from '../settings.js';
import { ZAnswers } from '../surveys/survey.schema.js';
import type { TokenClaims } from '../surveys/token.js';
import { acceptedLanguages, chooseLanguage, localize, type PublicSurvey } from './localize.js';
import { KeyThrottle } from './throttle.js';

export interface PublicLimits {
  /** Requests per minute from one address to the public survey API. */
  perIpPerMinute: number;
  /** Submissions per minute with one token. */
  perTokenPerMinute: number;
}
export const DEFAULT_PUBLIC_LIMITS: PublicLimits = { perIpPerMinute: 600, perTokenPerMinute: 30 };

const ZToken = z.string().min(10).max(2000);
const ZSurveyIdParam = z.object({ surveyId: z.string().min(1).max(64) });
const ZSubmission = z.object({
  token: ZToken,
  answers: ZAnswers,
  revision: z.number().int().min(0).optional(),
  finished: z.boolean().optional(),
  language: z.string().regex(/^[a-z]{2}$/).optional(),
});
const ZSubmissionResult = z.object({ responseId: z.string(), revision: z.number(), complete: z.boolean() });
const ZPublicView = z.object({
  survey: z.unknown(),
  response: z.object({ answers: ZAnswers, revision: z.number(), complete: z.boolean() }).nullable(),
});

/** A respondent's own language from their profile, when the identity graph knows them. */
async function profileLanguage(deps: FeedbackDeps, claims: TokenClaims): Promise<string | undefined> {
  const customer = await customerOfIdentifier(deps.store.db, claims.workspaceId, claims.respondent.kind, claims.respondent.value);
  const value = customer?.traits.language ?? customer?.traits.locale;
  return typeof value === 'string' ? value : undefined;
}

/** The survey as this respondent should see it, and what they answered so far. */
export async function respondentView(
  deps: FeedbackDeps,
  answering: Answering,
  token: string,
  surveyId: string,
  request: FastifyRequest,
  asked?: string,
): Promise<{ survey: PublicSurvey; response: { answers: Record<string, number | string>; revision: number; complete: boolean } | null; claims: TokenClaims }> {
  const { claims, survey } = await answering.open(token, surveyId);
  const [current, settings] = await Promise.all([answering.current(claims), readFeedbackSettings(deps.store.db, claims.workspaceId)]);
  const language = chooseLanguage(survey.definition, [asked, current?.language, await profileLanguage(deps, claims), ...acceptedLanguages(request.headers['accept-language'])]);
  return {
    survey: localize(survey.id, survey.definition, language, settings.branding),
    response: current ? { answers: current.answers, revision: current.revision, complete: current.complete } : null,
    claims,
  };
}

export const publicSurveyRoutes =
  (deps: FeedbackDeps, answering: Answering, limits: PublicLimits): FastifyPluginAsyncZod =>
  async (app) => {
    const perToken = new KeyThrottle(deps.clock, limits.perTokenPerMinute);
    const config = { auth: 'public' as const, rateLimit: { max: limits.perIpPerMinute, timeWindow: 60_000 } };
    const tags = ['surveys (public)'];

    app.addHook('onSend', async (_request, reply) => {
      reply.header('access-control-allow-origin', '*');
      reply.header('cache-control', 'no-store');
    });
    app.options('/s/api/*', { config: { auth: 'public' as const }, schema: { hide: true } }, async (_request, reply) =>
      reply
        .code(204)
        .header('access-control-allow-methods', 'GET, POST')
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', '86400')
        .send(),
    );

    app.get(
      '/s/api/:surveyId',
      {
        schema: {
          tags,
          summary: 'A survey as its respondent sees it (their language, the brand) and their answers so far',
          params: ZSurveyIdParam,
          querystring: z.object({ t: ZToken, lang: z.string().regex(/^[a-z]{2}$/).optional() }),
          response: { 200: ZPublicView },
        },
        config,
      },
      async (request) => {
        const { survey, response } = await respondentView(deps, answering, request.query.t, request.params.surveyId, request, request.query.lang);
        return { survey, response };
      },
    );

    app.post(
      '/s/api/:surveyId/answers',
      {
        // Room for a 1 MB paste in any script (up to 4 bytes a character in UTF-8).
        bodyLimit: MAX_TEXT_CHARS * 4 + 64 * 1024,
        schema: {
          tags,
          summary: 'Answer (or edit the answer to) a survey; partial answers are kept. Send `revision` from the last view to refuse stale edits.',
          params: ZSurveyIdParam,
          body: ZSubmission,
          response: { 200: ZSubmissionResult },
        },
        config,
      },
      async (request) => {
        const { token, ...submission } = request.body;
        if (!perToken.take(token)) {
          const retryAfterSeconds = perToken.retryAfterSeconds();
          throw new AppError('RATE_LIMITED', `too many answers with this link; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
        }
        return answering.submit(token, request.params.surveyId, submission);
      },
    );
  };
