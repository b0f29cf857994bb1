/** Sending surveys by e-mail and the delivery log over HTTP. (Being built.) */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FeedbackDeps } from '../deps.js';
import type { Answering } from '../responses/answering.js';

export const deliveryRoutes =
  (_deps: FeedbackDeps, _answering: Answering): FastifyPluginAsyncZod =>
  async () => {};
