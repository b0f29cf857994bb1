import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from './auth.plugin.js';
import type { WorkspaceDeps } from './deps.js';
import { actorOf } from './principal.js';
import { createWorkspace, getWorkspace, listWorkspaces, updateWorkspace, workspaceOverview } from './workspace.service.js';
import { ZOverview, ZWorkspace, ZWorkspaceCreate, ZWorkspaceUpdate } from './workspace.schema.js';

export const ZWorkspaceParams = z.strictObject({ workspaceId: z.string().min(1).max(64) });

export const workspaceRoutes =
  (deps: WorkspaceDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/workspaces',
      {
        schema: { tags: ['workspaces'], summary: 'Workspaces the caller belongs to', response: { 200: z.object({ workspaces: z.array(ZWorkspace) }) } },
        config: { auth: 'principal' },
      },
      async (request) => ({ workspaces: await listWorkspaces(deps, principalOf(request)) }),
    );

    app.post(
      '/api/workspaces',
      {
        schema: { tags: ['workspaces'], summary: 'Create a workspace; the caller becomes its owner', body: ZWorkspaceCreate, response: { 201: z.object({ workspace: ZWorkspace }) } },
        config: { auth: 'user' },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        if (principal.type !== 'user') throw new Error('unreachable: route is user-only');
        const workspace = await createWorkspace(deps, { name: request.body.name, ownerId: principal.userId, actor: actorOf(principal) });
        return reply.code(201).send({ workspace });
      },
    );

    app.get(
      '/api/workspaces/:workspaceId',
      {
        schema: { tags: ['workspaces'], summary: 'One workspace and the caller’s role in it', params: ZWorkspaceParams, response: { 200: z.object({ workspace: ZWorkspace }) } },
        config: { auth: { permission: 'workspace.read' } },
      },
      async (request) => ({ workspace: await getWorkspace(deps, principalOf(request), request.params.workspaceId) }),
    );

    app.patch(
      '/api/workspaces/:workspaceId',
      {
        schema: { tags: ['workspaces'], summary: 'Rename a workspace', params: ZWorkspaceParams, body: ZWorkspaceUpdate, response: { 200: z.object({ workspace: ZWorkspace }) } },
        config: { auth: { permission: 'workspace.update' } },
      },
      async (request) => ({
        workspace: await updateWorkspace(deps, principalOf(request), request.params.workspaceId, request.body.name),
      }),
    );

    app.get(
      '/api/workspaces/:workspaceId/overview',
      {
        schema: { tags: ['workspaces'], summary: 'Counts of records per silo, members and keys', params: ZWorkspaceParams, response: { 200: ZOverview } },
        config: { auth: { permission: 'workspace.read' } },
      },
      async (request) => workspaceOverview(deps, request.params.workspaceId),
    );
  };
