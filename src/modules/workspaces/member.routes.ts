import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf, roleOf } from './auth.plugin.js';
import type { WorkspaceDeps } from './deps.js';
import { addMember, changeMemberRole, membersOf, removeMember } from './member.service.js';
import { actorOf } from './principal.js';
import { ZMember, ZMemberCreate, ZMemberUpdate } from './workspace.schema.js';
import { ZWorkspaceParams } from './workspace.routes.js';

const ZMemberParams = ZWorkspaceParams.extend({ userId: z.string().min(1).max(64) });

export const memberRoutes =
  (deps: WorkspaceDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const ctxOf = (request: Parameters<typeof principalOf>[0], workspaceId: string) => ({
      workspaceId,
      callerRole: roleOf(request),
      actor: actorOf(principalOf(request)),
    });

    app.get(
      '/api/workspaces/:workspaceId/members',
      {
        schema: { tags: ['members'], summary: 'People in the workspace', params: ZWorkspaceParams, response: { 200: z.object({ members: z.array(ZMember) }) } },
        config: { auth: { permission: 'members.read' } },
      },
      async (request) => ({ members: await membersOf(deps, request.params.workspaceId) }),
    );

    app.post(
      '/api/workspaces/:workspaceId/members',
      {
        schema: { tags: ['members'], summary: 'Add a person (creating their user when new)', params: ZWorkspaceParams, body: ZMemberCreate, response: { 201: z.object({ member: ZMember }) } },
        config: { auth: { permission: 'members.manage' } },
      },
      async (request, reply) => {
        const member = await addMember(deps, ctxOf(request, request.params.workspaceId), request.body);
        return reply.code(201).send({ member });
      },
    );

    app.patch(
      '/api/workspaces/:workspaceId/members/:userId',
      {
        schema: { tags: ['members'], summary: 'Change a member’s role', params: ZMemberParams, body: ZMemberUpdate, response: { 200: z.object({ member: ZMember }) } },
        config: { auth: { permission: 'members.manage' } },
      },
      async (request) => ({
        member: await changeMemberRole(deps, ctxOf(request, request.params.workspaceId), request.params.userId, request.body.role),
      }),
    );

    app.delete(
      '/api/workspaces/:workspaceId/members/:userId',
      {
        schema: { tags: ['members'], summary: 'Remove a member', params: ZMemberParams, response: { 204: z.null() } },
        config: { auth: { permission: 'members.manage' } },
      },
      async (request, reply) => {
        await removeMember(deps, ctxOf(request, request.params.workspaceId), request.params.userId);
        return reply.code(204).send(null);
      },
    );
  };
