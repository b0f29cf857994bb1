/**
 * The hosted survey page `/s/:surveyId?t=…` and the widget script `/widget.js`, with the one
 * endpoint only the widget needs: a link for an anonymous visitor.
 *
 * The page is server-rendered HTML with a small inline script that saves each answer through
 * the public API as it is given. Everything typed by a company or a customer is escaped, and a
 * strict Content-Security-Policy (scripts and styles only under this response's nonce, no
 * inline handlers, no requests elsewhere but images) keeps anything that slipped through inert.
 */
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isAppError, type ErrorCode } from '../../../platform/errors.js';
import type { FeedbackDeps } from '../deps.js';
import type { Answering } from '../responses/answering.js';
import { clientScript } from '../widget/bundle.js';
import { acceptedLanguages } from './localize.js';
import { errorPage, surveyPage, type PageProblem } from './page/document.js';
import { UI_LANGUAGES, uiStrings } from './page/strings.js';
import { VisitorLinks } from './page/visitor.js';
import { DEFAULT_PUBLIC_LIMITS, respondentView } from './public.routes.js';

/** New anonymous visitors one address may bring a minute (each is a delivery). */
export const VISITORS_PER_IP_PER_MINUTE = 60;

const ZLanguageParam = z.string().regex(/^[a-z]{2}$/);
const ZPageQuery = z.object({
  t: z.string().max(4000).optional(),
  // Malformed extras are ignored rather than refused: the page still opens.
  score: z.coerce.number().int().min(0).max(10).optional().catch(undefined),
  lang: ZLanguageParam.optional().catch(undefined),
});
const ZSurveyIdParam = z.object({ surveyId: z.string().min(1).max(64) });

const PROBLEMS: Partial<Record<ErrorCode, PageProblem>> = {
  SURVEY_TOKEN_INVALID: 'invalid',
  SURVEY_TOKEN_EXPIRED: 'expired',
  SURVEY_CLOSED: 'closed',
  SURVEY_NOT_FOUND: 'notFound',
  RATE_LIMITED: 'tooMany',
  VALIDATION_FAILED: 'invalid',
};

const contentSecurityPolicy = (nonce: string) =>
  [`default-src 'none'`, `script-src 'nonce-${nonce}'`, `style-src 'nonce-${nonce}'`, `img-src https: data:`, `connect-src 'self'`, `form-action 'none'`, `base-uri 'none'`, `frame-ancestors 'none'`].join('; ');

/** Send a body gzipped when the client takes it (slow phones, no proxy in front). */
function sendMaybeGzipped(request: FastifyRequest, reply: FastifyReply, body: string | Buffer, gzipped?: Buffer): FastifyReply {
  reply.header('vary', 'accept-encoding');
  if (/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
    return reply.header('content-encoding', 'gzip').send(gzipped ?? gzipSync(body));
  }
  return reply.send(body);
}

function sendHtml(request: FastifyRequest, reply: FastifyReply, status: number, html: string, nonce: string): FastifyReply {
  reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', contentSecurityPolicy(nonce))
    .header('referrer-policy', 'no-referrer') // the URL holds the token: never pass it on
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('cache-control', 'no-store');
  return sendMaybeGzipped(request, reply, html);
}

const newNonce = () => randomBytes(16).toString('base64');

/** The page's own language for an error: the one asked for, else the browser's, else English. */
function errorLanguage(request: FastifyRequest): string {
  const asked = (request.query as { lang?: unknown } | undefined)?.lang;
  const wanted = [typeof asked === 'string' ? asked : undefined, ...acceptedLanguages(request.headers['accept-language'])];
  return wanted.find((l): l is string => l !== undefined && UI_LANGUAGES.includes(l)) ?? 'en';
}

const hostedPage =
  (deps: FeedbackDeps, answering: Answering): FastifyPluginAsyncZod =>
  async (app) => {
    // Any failure here is a page for a person, not JSON: friendly, with the right status, no internals.
    app.setErrorHandler((error, request, reply) => {
      const code = isAppError(error) ? error.code : (error as { statusCode?: number }).statusCode === 429 ? 'RATE_LIMITED' : (error as { validation?: unknown }).validation ? 'VALIDATION_FAILED' : undefined;
      const problem = code ? PROBLEMS[code] : undefined;
      if (!problem) request.log.error({ err: error }, 'the survey page failed');
      const status = code === 'VALIDATION_FAILED' ? 400 : isAppError(error) ? error.status : code === 'RATE_LIMITED' ? 429 : 500;
      const language = errorLanguage(request);
      const nonce = newNonce();
      return sendHtml(request, reply, problem ? status : 500, errorPage({ ui: uiStrings(language), language, problem: problem ?? 'failed', nonce }), nonce);
    });

    app.get(
      '/s/:surveyId',
      {
        schema: { hide: true, params: ZSurveyIdParam, querystring: ZPageQuery },
        config: { auth: 'public' as const, rateLimit: { max: DEFAULT_PUBLIC_LIMITS.perIpPerMinute, timeWindow: 60_000 } },
      },
      async (request, reply) => {
        const { t, score, lang } = request.query;
        const surveyId = request.params.surveyId;
        const view = await respondentView(deps, answering, t ?? '', surveyId, request, lang);
        const script = await clientScript('page');
        // A score in the link belongs to the survey's first scored question (the e-mail's buttons).
        const scored = view.survey.questions.find((q) => q.scale !== null);
        const given = scored?.scale && score !== undefined && score >= scored.scale.min && score <= scored.scale.max ? { question: scored.id, value: score } : null;
        const nonce = newNonce();
        const html = surveyPage({
          survey: view.survey,
          // Not shown as chosen until the script has saved it: without scripts it is not recorded.
          answers: view.response?.answers ?? {},
          complete: view.response?.complete ?? false,
          data: { surveyId, token: t ?? '', language: view.survey.language, revision: view.response?.revision ?? 0, score: given, ui: view.survey.ui },
          nonce,
          script,
        });
        return sendHtml(request, reply, 200, html, nonce);
      },
    );
  };

const visitorApi =
  (deps: FeedbackDeps, answering: Answering): FastifyPluginAsyncZod =>
  async (app) => {
    const visitors = new VisitorLinks(deps, answering.keys);
    app.addHook('onSend', async (_request, reply) => {
      reply.header('access-control-allow-origin', '*');
      reply.header('cache-control', 'no-store');
    });
    app.post(
      '/s/api/:surveyId/visitor',
      {
        schema: {
          tags: ['surveys (public)'],
          summary: 'A link for a visitor known only by their anonymous id (the widget), when the survey allows anonymous answers',
          params: ZSurveyIdParam,
          body: z.object({ anonymousId: z.string().trim().min(1).max(300) }),
          response: { 201: z.object({ token: z.string(), expiresAt: z.string() }) },
        },
        config: { auth: 'public' as const, rateLimit: { max: VISITORS_PER_IP_PER_MINUTE, timeWindow: 60_000 } },
      },
      async (request, reply) => {
        const link = await visitors.create(request.params.surveyId, request.body.anonymousId);
        return reply.code(201).send({ token: link.token, expiresAt: link.expiresAt });
      },
    );
  };

export const surveyPageRoutes =
  (deps: FeedbackDeps, answering: Answering): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(hostedPage(deps, answering));
    await app.register(visitorApi(deps, answering));

    let widget: { source: string; plain: Buffer; gzipped: Buffer } | undefined;
    app.get('/widget.js', { schema: { hide: true }, config: { auth: 'public' as const } }, async (request, reply) => {
      const source = await clientScript('widget');
      if (widget?.source !== source) widget = { source, plain: Buffer.from(source), gzipped: gzipSync(source, { level: 9 }) };
      reply
        .header('content-type', 'text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=300')
        .header('access-control-allow-origin', '*')
        .header('cross-origin-resource-policy', 'cross-origin')
        .header('x-content-type-options', 'nosniff');
      return sendMaybeGzipped(request, reply, widget.plain, widget.gzipped);
    });
  };
