/** The ingest module: the Segment-compatible tracking API and the event store. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { IngestDeps } from './deps.js';

export type { IngestDeps } from './deps.js';

export const ingestModule =
  (_deps: IngestDeps): FastifyPluginAsyncZod =>
  async () => {};
