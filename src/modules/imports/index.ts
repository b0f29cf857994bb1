/** The imports module: CSV and JSONL files from CRM, billing and support exports. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ImportDeps } from './deps.js';

export type { ImportDeps } from './deps.js';

export const importsModule =
  (_deps: ImportDeps): FastifyPluginAsyncZod =>
  async () => {};
