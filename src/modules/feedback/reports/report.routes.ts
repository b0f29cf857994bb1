/** Responses, trends, themes and CSV export over HTTP. (Being built.) */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FeedbackDeps } from '../deps.js';

export const reportRoutes =
  (_deps: FeedbackDeps): FastifyPluginAsyncZod =>
  async () => {};
