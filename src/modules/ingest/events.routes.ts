/** The workspace API behind the dashboard's Sources page: events, live tail, counts, errors, sources. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ZWorkspaceParams } from '../workspaces/index.js';
import type { IngestDeps } from './deps.js';
import type { EventReader } from './event.reader.js';
import {
  ZDayCount,
  ZEventCountsQuery,
  ZEventListQuery,
  ZEventTailQuery,
  ZEventView,
  ZIngestErrorQuery,
  ZIngestErrorView,
  ZSourceView,
} from './events.schema.js';
import { listRecentErrors, listSources } from './source.store.js';

export const eventRoutes =
  (deps: IngestDeps, reader: EventReader): FastifyPluginAsyncZod =>
  async (app) => {
    const config = { auth: { permission: 'events.read' as const } };

    app.get(
      '/api/workspaces/:workspaceId/events',
      {
        schema: {
          tags: ['events'],
          summary: 'Events, newest first',
          params: ZWorkspaceParams,
          querystring: ZEventListQuery,
          response: { 200: z.object({ events: z.array(ZEventView), nextCursor: z.string().nullable() }) },
        },
        config,
      },
      async (request) => reader.page(request.params.workspaceId, request.query.limit, request.query.before),
    );

    app.get(
      '/api/workspaces/:workspaceId/events/tail',
      {
        schema: {
          tags: ['events'],
          summary: 'Live tail: events stored after the cursor, oldest first',
          description:
            'Follow the tail by passing the returned cursor as `after`. The cursor stays up to 5 seconds behind the newest ' +
            'event, so events of the last 5 seconds come again in the next answers (drop ids you already have): with several ' +
            'server processes an event can commit a moment after a newer one was read, and this way it is not skipped.',
          params: ZWorkspaceParams,
          querystring: ZEventTailQuery,
          response: { 200: z.object({ events: z.array(ZEventView), cursor: z.string().nullable() }) },
        },
        config,
      },
      async (request) => reader.tail(request.params.workspaceId, request.query.limit, request.query.after),
    );

    app.get(
      '/api/workspaces/:workspaceId/events/counts',
      {
        schema: {
          tags: ['events'],
          summary: 'Events per day, type, name and source (UTC days, inclusive), from the rollups',
          params: ZWorkspaceParams,
          querystring: ZEventCountsQuery,
          response: { 200: z.object({ days: z.array(ZDayCount) }) },
        },
        config,
      },
      async (request) => ({ days: await reader.dailyCounts(request.params.workspaceId, request.query.from, request.query.to) }),
    );

    app.get(
      '/api/workspaces/:workspaceId/ingest/errors',
      {
        schema: {
          tags: ['events'],
          summary: 'Recently refused messages, newest first',
          params: ZWorkspaceParams,
          querystring: ZIngestErrorQuery,
          response: { 200: z.object({ errors: z.array(ZIngestErrorView) }) },
        },
        config,
      },
      async (request) => ({ errors: await listRecentErrors(deps.store.db, request.params.workspaceId, request.query.limit) }),
    );

    app.get(
      '/api/workspaces/:workspaceId/ingest/sources',
      {
        schema: {
          tags: ['events'],
          summary: 'Write keys and what each has sent',
          params: ZWorkspaceParams,
          response: { 200: z.object({ sources: z.array(ZSourceView) }) },
        },
        config,
      },
      async (request) => ({ sources: await listSources(deps.store.db, request.params.workspaceId) }),
    );
  };
