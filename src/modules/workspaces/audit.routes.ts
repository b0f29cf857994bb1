import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditEntries } from './audit.service.js';
import type { WorkspaceDeps } from './deps.js';
import { ZAuditEntry, ZAuditQuery } from './workspace.schema.js';
import { ZWorkspaceParams } from './workspace.routes.js';

export const auditRoutes =
  (deps: WorkspaceDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/workspaces/:workspaceId/audit',
      {
        schema: {
          tags: ['audit'],
          summary: 'Administrative actions, newest first',
          params: ZWorkspaceParams,
          querystring: ZAuditQuery,
          response: { 200: z.object({ entries: z.array(ZAuditEntry), nextCursor: z.string().nullable() }) },
        },
        config: { auth: { permission: 'audit.read' } },
      },
      async (request) => auditEntries(deps, request.params.workspaceId, request.query),
    );
  };
