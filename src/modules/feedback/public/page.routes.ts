/** The hosted survey page `/s/:surveyId?t=…` and the widget script `/widget.js`. (Being built.) */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FeedbackDeps } from '../deps.js';
import type { Answering } from '../responses/answering.js';

export const surveyPageRoutes =
  (_deps: FeedbackDeps, _answering: Answering): FastifyPluginAsyncZod =>
  async () => {};
